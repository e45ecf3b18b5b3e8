package netpath

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// TracerouteProbes is how many probes Traceroute sends per hop, as the
// classic traceroute does.
const TracerouteProbes = 3

// Probe is one probe's outcome: its round-trip time, or lost.
type Probe struct {
	RTT  time.Duration `json:"rtt"`
	Lost bool          `json:"lost"`
}

// PingReply is one echo of Ping, numbered from 1 as ping's icmp_seq.
type PingReply struct {
	Seq int `json:"seq"`
	Probe
}

// TraceHop is one line of a traceroute: the hop and its probes.
type TraceHop struct {
	TTL    int        `json:"ttl"`
	Kind   HopKind    `json:"kind"`
	Name   string     `json:"name"`
	Addr   netip.Addr `json:"addr"`
	Probes []Probe    `json:"probes"`
	// Loss is the model's round-trip loss to this hop, what mtr converges
	// to with many probes; three probes alone can only show 0, 33, 67 or
	// 100 %.
	Loss float64 `json:"loss"`
}

// errNoRand is returned by probes without a random source: the output must
// be reproducible, so there is no hidden default.
var errNoRand = errors.New("netpath: nil random source")

// Ping sends count echoes to the media server. Each echo crosses every hop's
// Up and then every hop's Down, drawing a delay and a loss from each: a
// probe is lost if any link loses it. Probes are a second apart, far more
// than a Gilbert-Elliott chain's bursts last at a call's packet rate, so
// each link loses a probe with its long-run loss rate. A rate cap does not
// delay a 64-byte probe here: the model has no queue of the call's media.
func (p *Path) Ping(count int, rng *rand.Rand) ([]PingReply, error) {
	if count < 1 {
		return nil, fmt.Errorf("ping: count %d must be at least 1", count)
	}
	if rng == nil {
		return nil, fmt.Errorf("ping: %w", errNoRand)
	}
	out := make([]PingReply, count)
	for k := range out {
		out[k] = PingReply{Seq: k + 1, Probe: p.probe(len(p.hops), rng)}
	}
	return out, nil
}

// Traceroute sends TracerouteProbes probes to each hop in turn, each
// crossing the hops up to it and back, so the bad hop's delay and loss show
// on its line and on every line after it.
func (p *Path) Traceroute(rng *rand.Rand) ([]TraceHop, error) {
	if rng == nil {
		return nil, fmt.Errorf("traceroute: %w", errNoRand)
	}
	out := make([]TraceHop, len(p.hops))
	for k, h := range p.hops {
		loss, err := p.RoundTripLoss(h.TTL)
		if err != nil {
			return nil, fmt.Errorf("traceroute: %w", err)
		}
		th := TraceHop{TTL: h.TTL, Kind: h.Kind, Name: h.Name, Addr: h.Addr, Loss: loss,
			Probes: make([]Probe, TracerouteProbes)}
		for n := range th.Probes {
			th.Probes[n] = p.probe(h.TTL, rng)
		}
		out[k] = th
	}
	return out, nil
}

// probe draws one round trip to hop ttl. Every link is drawn even after a
// loss, so a seed's stream of draws, and with it every later probe, does not
// depend on which probes were lost.
func (p *Path) probe(ttl int, rng *rand.Rand) Probe {
	var pr Probe
	for _, h := range p.hops[:ttl] {
		d, lost := draw(h.Up, rng)
		pr.RTT += d
		pr.Lost = pr.Lost || lost
	}
	for k := ttl - 1; k >= 0; k-- {
		d, lost := draw(p.hops[k].Down, rng)
		pr.RTT += d
		pr.Lost = pr.Lost || lost
	}
	if pr.Lost {
		pr.RTT = 0
	}
	return pr
}

// draw is one link's delay and fate for a probe, the jitter drawn as package
// impair draws it (see impair.Distribution).
func draw(c impair.Config, rng *rand.Rand) (time.Duration, bool) {
	lost := rng.Float64() < LossRate(c)
	u := rng.Float64()
	j := float64(c.Jitter)
	var extra float64
	switch c.Distribution {
	case impair.DistNormal:
		extra = math.Abs(rng.NormFloat64()) * j
	case impair.DistPareto:
		extra = min(j*(math.Pow(1-u, -1/impair.ParetoShape)-1), 100*j)
	default:
		extra = 2 * j * u
	}
	return c.Delay + time.Duration(extra), lost
}

// PingSummary is ping's closing lines: packets and round-trip statistics
// over the replies that came back (mdev as Linux ping computes it, the
// standard deviation).
type PingSummary struct {
	Sent     int           `json:"sent"`
	Received int           `json:"received"`
	Loss     float64       `json:"loss"`
	Min      time.Duration `json:"min"`
	Avg      time.Duration `json:"avg"`
	Max      time.Duration `json:"max"`
	MDev     time.Duration `json:"mdev"`
}

// Summarize computes ping's summary of replies.
func Summarize(replies []PingReply) PingSummary {
	s := PingSummary{Sent: len(replies)}
	var sum, sum2 float64
	for _, r := range replies {
		if r.Lost {
			continue
		}
		if s.Received == 0 || r.RTT < s.Min {
			s.Min = r.RTT
		}
		s.Max = max(s.Max, r.RTT)
		s.Received++
		sum += float64(r.RTT)
		sum2 += float64(r.RTT) * float64(r.RTT)
	}
	if s.Sent > 0 {
		s.Loss = float64(s.Sent-s.Received) / float64(s.Sent)
	}
	if s.Received > 0 {
		mean := sum / float64(s.Received)
		s.Avg = time.Duration(mean)
		s.MDev = time.Duration(math.Sqrt(max(0, sum2/float64(s.Received)-mean*mean)))
	}
	return s
}
