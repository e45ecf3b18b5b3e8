package impair

import (
	"math"
	"math/rand/v2"
	"time"
)

// paretoCap bounds a Pareto draw at this many times Jitter: without it one
// draw in 10^16 would hold a packet (and, without reordering, everything
// behind it) for hours. The mean moves by less than 0.01 %.
const paretoCap = 100

// link is the impairment state of one Interceptor: the path every outbound
// packet crosses. It has no lock and no goroutine, so the same code serves the
// Interceptor (under its mutex) and ExpectedJitter's Monte Carlo.
type link struct {
	cfg Config
	rng *rand.Rand
	// bad is the Gilbert-Elliott state; the chain starts good.
	bad bool
	// tokens is the bucket level right after the departure at tokAt, the
	// last packet the bucket let through; a zero tokAt means a fresh, full
	// bucket.
	tokens float64
	tokAt  time.Time
	// last is the latest release time handed out; without reordering no
	// packet is released before it.
	last time.Time
}

// fate is what admit decided for one offered packet.
type fate struct {
	// release holds the release times of the n copies that go on.
	release [2]time.Time
	n       int
	// outage and random tell why the packet was lost before the bucket.
	outage, random bool
	// duplicated is set when a second copy was made (it may still be lost
	// at the queue).
	duplicated bool
	// queueLost counts the copies dropped at the full queue.
	queueLost int
}

func newLink(c Config, rng *rand.Rand) *link {
	return &link{cfg: c, rng: rng}
}

// setConfig switches to c for the packets offered from now on.
func (l *link) setConfig(c Config) {
	l.cfg = c
	if c.GE == nil {
		l.bad = false
	}
	l.tokens = math.Min(l.tokens, c.burstBytes())
}

// admit runs one packet of size bytes, offered at now, through the pipeline:
// outage, loss, duplication, rate cap, delay.
//
// streamRng, when not nil, draws Bernoulli loss for this packet instead of the
// link's own source: independent draws are statistically the same either way,
// but one source per stream makes a stream's loss pattern depend only on the
// seed and its own packet order, not on how other streams and RTCP interleave
// with it. Gilbert-Elliott keeps one chain per link: a burst hits every stream.
func (l *link) admit(now time.Time, size int, streamRng *rand.Rand) fate {
	var f fate
	if l.cfg.Outage {
		f.outage = true
		return f
	}
	if l.lose(streamRng) {
		f.random = true
		return f
	}
	copies := 1
	if l.chance(l.cfg.Duplicate) {
		copies = 2
		f.duplicated = true
	}
	for range copies {
		depart, ok := l.shape(now, size)
		if !ok {
			f.queueLost++
			continue
		}
		f.release[f.n] = l.delay(depart)
		f.n++
	}
	return f
}

// chance draws true with probability p; it spends no draw when p is 0, so a
// config without an impairment does not shift the random sequence.
func (l *link) chance(p float64) bool {
	return p > 0 && l.rng.Float64() < p
}

// lose draws the loss of one packet, then moves the Gilbert-Elliott chain.
func (l *link) lose(streamRng *rand.Rand) bool {
	g := l.cfg.GE
	if g == nil {
		if streamRng != nil {
			return l.cfg.Loss > 0 && streamRng.Float64() < l.cfg.Loss
		}
		return l.chance(l.cfg.Loss)
	}
	if l.bad {
		lost := l.chance(g.OneMinusH)
		if l.chance(g.R) {
			l.bad = false
		}
		return lost
	}
	lost := l.chance(g.OneMinusK)
	if l.chance(g.P) {
		l.bad = true
	}
	return lost
}

// shape passes a packet through the token bucket: it departs once the bucket
// holds its size, in arrival order (FIFO). A packet that would wait behind
// more than the queue limit's worth of bytes is dropped (drop-tail) and leaves
// the bucket untouched.
func (l *link) shape(now time.Time, size int) (time.Time, bool) {
	if l.cfg.Rate == 0 {
		return now, true
	}
	rate := float64(l.cfg.Rate) / 8 // bytes per second
	burst := l.cfg.burstBytes()
	start, tokens := now, l.tokens
	switch {
	case l.tokAt.IsZero():
		tokens = burst
	case l.tokAt.After(now):
		start = l.tokAt // the link is still busy with earlier packets
	default:
		tokens = math.Min(burst, tokens+now.Sub(l.tokAt).Seconds()*rate)
	}
	s := float64(size)
	depart, left := start, tokens-s
	if left < 0 {
		// Round the wait up so the bucket never lets out more than
		// Rate*elapsed + Burst.
		depart = start.Add(time.Duration(math.Ceil(-left / rate * 1e9)))
		left = 0
	}
	if backlog := depart.Sub(now).Seconds() * rate; backlog > l.cfg.queueBytes() {
		return time.Time{}, false
	}
	l.tokens, l.tokAt = left, depart
	return depart, true
}

// delay adds the propagation delay and a jitter draw to a departure time,
// holding the packet behind the previous one unless reordering is allowed.
func (l *link) delay(depart time.Time) time.Time {
	r := depart.Add(l.cfg.Delay + l.jitter())
	if !l.cfg.Reorder && r.Before(l.last) {
		r = l.last
	}
	if r.After(l.last) {
		l.last = r
	}
	return r
}

// jitter draws the non-negative amount added to Delay.
func (l *link) jitter() time.Duration {
	j := float64(l.cfg.Jitter)
	if j == 0 {
		return 0
	}
	switch l.cfg.Distribution {
	case DistNormal:
		return time.Duration(math.Abs(l.rng.NormFloat64()) * j)
	case DistPareto:
		x := math.Pow(1-l.rng.Float64(), -1/ParetoShape) - 1
		return time.Duration(math.Min(x, paretoCap) * j)
	default:
		return time.Duration(l.rng.Float64() * 2 * j)
	}
}
