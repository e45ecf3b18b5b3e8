package netpath

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// HopKind is the role of a hop on the path.
type HopKind string

// The hops of a path, in order from the customer's device.
const (
	// HopAccess is the home router (wifi, ethernet) or the mobile network's
	// gateway behind the cell tower (4g, 5g): the last mile.
	HopAccess HopKind = "access"
	// HopISP is the ISP's access router (BRAS) in the customer's region.
	HopISP HopKind = "isp"
	// HopBackbone is the ISP's backbone, where distance is paid.
	HopBackbone HopKind = "backbone"
	// HopIXP is the interconnect where the ISP hands over to the service.
	HopIXP HopKind = "ixp"
	// HopEdge is the service's edge node.
	HopEdge HopKind = "edge"
	// HopServer is the media server the call runs on.
	HopServer HopKind = "server"
)

// hopKinds is the order of the hops.
func hopKinds() []HopKind {
	return []HopKind{HopAccess, HopISP, HopBackbone, HopIXP, HopEdge, HopServer}
}

// Fixed one-way delays of the short links, per hop kind.
const (
	ispDelay    = time.Millisecond       // customer premises to the BRAS
	ixpDelay    = time.Millisecond       // across the interconnect
	edgeDelay   = 500 * time.Microsecond // into the node's data centre
	serverDelay = 200 * time.Microsecond // rack to rack inside it
)

// Spec is what a Path is built from: the scenario's customer context and
// the impairment the call runs with right now.
type Spec struct {
	Network NetworkType
	Region  Region
	Node    Node
	// Uplink and Downlink are the scenario's current impairment per
	// direction, put on the bad hop (see WithBadHop and WithEndToEnd).
	Uplink, Downlink impair.Config
	// Server is the media server's own effect on a round trip (processing
	// delay, its jitter and drops, e.g. mediaserver's overload overlay). It
	// sits on the server hop's way back, once per probe, and is always added
	// on top of the network.
	Server impair.Config
	// ServerName labels the last hop; "" means media.<node>.fastrtc.example.
	ServerName string
}

// Hop is one router on the path, and the link into it from the hop before
// (the device, for TTL 1).
type Hop struct {
	TTL  int        `json:"ttl"`
	Kind HopKind    `json:"kind"`
	Name string     `json:"name"`
	Addr netip.Addr `json:"addr"`
	// Up impairs the link into the hop towards the server, Down the same
	// link on the way back.
	Up   impair.Config `json:"-"`
	Down impair.Config `json:"-"`
}

// Path is the customer's network path to the media server. It is immutable:
// a remedy that changes the network builds a new one.
type Path struct {
	spec     Spec
	badHop   HopKind
	endToEnd bool
	hops     []Hop
}

// Option configures a Path.
type Option func(*Path) error

// WithBadHop puts the scenario's impairment on hop kind k instead of the
// access hop: the backbone for a far edge node, the server for a loaded one.
func WithBadHop(k HopKind) Option {
	return func(p *Path) error {
		if !slices.Contains(hopKinds(), k) {
			return fmt.Errorf("bad hop %q: %w", k, ErrUnknown)
		}
		p.badHop = k
		return nil
	}
}

// WithEndToEnd reads Spec.Uplink and Spec.Downlink as what the call runs
// with end to end, the path's own delays included, instead of an extra on
// top of them: the bad hop gets what is left once the other hops are paid
// (clamped at zero, and then the path's total exceeds the given one). Use it
// when a scenario's timeline already holds the whole path, as a far edge
// node's does.
func WithEndToEnd() Option {
	return func(p *Path) error {
		p.endToEnd = true
		return nil
	}
}

// New builds the path of s.
func New(s Spec, opts ...Option) (*Path, error) {
	var errs []error
	for _, c := range []struct {
		name string
		cfg  impair.Config
	}{{"uplink", s.Uplink}, {"downlink", s.Downlink}, {"server", s.Server}} {
		if err := c.cfg.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	access, err := Profile(s.Network)
	errs = append(errs, err)
	edge, err := EdgeDelay(s.Region, s.Node)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("new path: %w", err)
	}
	p := &Path{spec: s, badHop: HopAccess}
	for _, o := range opts {
		if err := o(p); err != nil {
			return nil, fmt.Errorf("new path: %w", err)
		}
	}
	p.hops = baseHops(s, access, edge)
	up, down := s.Uplink, s.Downlink
	if p.endToEnd {
		up = remainder(s.Uplink, total(p.hops, func(h Hop) impair.Config { return h.Up }))
		down = remainder(s.Downlink, total(p.hops, func(h Hop) impair.Config { return h.Down }))
	}
	for k := range p.hops {
		h := &p.hops[k]
		if h.Kind == p.badHop {
			h.Up, h.Down = Combine(h.Up, up), Combine(h.Down, down)
		}
		if h.Kind == HopServer {
			h.Down = Combine(h.Down, s.Server)
		}
	}
	return p, nil
}

// baseHops lays out the hops of a healthy path. The backbone carries the
// edge delay less the interconnect and the node's own network.
func baseHops(s Spec, access impair.Config, edge time.Duration) []Hop {
	ri := slices.Index(Regions(), s.Region)
	ni := slices.Index(Nodes(), s.Node)
	region := strings.ReplaceAll(string(s.Region), "_", "-")
	accessName := "router.home.example"
	switch s.Network {
	case LTE:
		accessName = "lte-gateway.mobile.example"
	case NR:
		accessName = "nr-gateway.mobile.example"
	}
	server := s.ServerName
	if server == "" {
		server = "media." + string(s.Node) + ".fastrtc.example"
	}
	link := func(d time.Duration) impair.Config { return impair.Config{Delay: d} }
	hops := []Hop{
		{Kind: HopAccess, Name: accessName, Addr: netip.AddrFrom4([4]byte{192, 0, 2, 1}), Up: access, Down: access},
		{Kind: HopISP, Name: "bras." + region + ".isp.example",
			Addr: netip.AddrFrom4([4]byte{198, 51, 100, byte(10 + ri)}), Up: link(ispDelay), Down: link(ispDelay)},
		{Kind: HopBackbone, Name: "core." + region + ".isp.example",
			Addr: netip.AddrFrom4([4]byte{198, 51, 100, byte(70 + ri)}),
			Up:   link(max(0, edge-ixpDelay-edgeDelay)), Down: link(max(0, edge-ixpDelay-edgeDelay))},
		{Kind: HopIXP, Name: "ix." + string(s.Node) + ".ixp.example",
			Addr: netip.AddrFrom4([4]byte{198, 51, 100, byte(200 + ni)}), Up: link(ixpDelay), Down: link(ixpDelay)},
		{Kind: HopEdge, Name: "edge." + string(s.Node) + ".fastrtc.example",
			Addr: netip.AddrFrom4([4]byte{203, 0, 113, byte(10 + ni)}), Up: link(edgeDelay), Down: link(edgeDelay)},
		{Kind: HopServer, Name: server,
			Addr: netip.AddrFrom4([4]byte{203, 0, 113, byte(100 + ni)}), Up: link(serverDelay), Down: link(serverDelay)},
	}
	for k := range hops {
		hops[k].TTL = k + 1
	}
	return hops
}

// total combines one direction of every hop.
func total(hops []Hop, dir func(Hop) impair.Config) impair.Config {
	var c impair.Config
	for _, h := range hops {
		c = Combine(c, dir(h))
	}
	return c
}

// remainder is what must be added in series to base for the whole to be
// given: Combine's rules run backwards, clamped at zero. A Gilbert-Elliott
// given keeps its chain (the base's small random loss is not taken out of
// it); rate, duplication, reordering and outage come from given.
func remainder(given, base impair.Config) impair.Config {
	r := given
	r.Jitter = 0
	if j2 := math.Pow(float64(given.Jitter), 2) - math.Pow(float64(base.Jitter), 2); j2 > 0 {
		r.Jitter = time.Duration(math.Round(math.Sqrt(j2)))
	}
	r.Delay = max(0, given.MeanDelay()-base.MeanDelay()-r.MeanJitter())
	if given.GE == nil {
		r.Loss = 0
		if base.Loss < 1 && given.Loss > base.Loss {
			r.Loss = 1 - (1-given.Loss)/(1-base.Loss)
		}
	}
	return r
}

// Spec returns what the path was built from.
func (p *Path) Spec() Spec { return p.spec }

// Hops returns the hops in order, TTL 1 first.
func (p *Path) Hops() []Hop { return slices.Clone(p.hops) }

// Uplink is the end-to-end impairment from the customer to the media
// server: every hop's Up in series. Run the call's uplink with it, and the
// call's RTT and loss match what ping shows.
func (p *Path) Uplink() impair.Config {
	return total(p.hops, func(h Hop) impair.Config { return h.Up })
}

// Downlink is the end-to-end impairment from the media server back,
// the server's own effect included.
func (p *Path) Downlink() impair.Config {
	return total(p.hops, func(h Hop) impair.Config { return h.Down })
}

// MeanRTT is the mean round trip to hop ttl (1-based; len(Hops()) is the
// media server, what ping measures), each hop's mean delay both ways.
func (p *Path) MeanRTT(ttl int) (time.Duration, error) {
	if ttl < 1 || ttl > len(p.hops) {
		return 0, fmt.Errorf("mean rtt: ttl %d not in 1..%d", ttl, len(p.hops))
	}
	var d time.Duration
	for _, h := range p.hops[:ttl] {
		d += h.Up.MeanDelay() + h.Down.MeanDelay()
	}
	return d, nil
}

// RoundTripLoss is the probability that a probe to hop ttl or its answer is
// lost, from the hops' long-run loss rates.
func (p *Path) RoundTripLoss(ttl int) (float64, error) {
	if ttl < 1 || ttl > len(p.hops) {
		return 0, fmt.Errorf("round-trip loss: ttl %d not in 1..%d", ttl, len(p.hops))
	}
	through := 1.0
	for _, h := range p.hops[:ttl] {
		through *= (1 - LossRate(h.Up)) * (1 - LossRate(h.Down))
	}
	return 1 - through, nil
}
