package netpath_test

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/netpath"
)

const ms = time.Millisecond

func newPath(tb testing.TB, s netpath.Spec, opts ...netpath.Option) *netpath.Path {
	tb.Helper()
	p, err := netpath.New(s, opts...)
	require.NoError(tb, err)
	return p
}

func meanRTT(tb testing.TB, p *netpath.Path, ttl int) time.Duration {
	tb.Helper()
	d, err := p.MeanRTT(ttl)
	require.NoError(tb, err)
	return d
}

func TestHops(t *testing.T) {
	for _, tc := range []struct {
		network    netpath.NetworkType
		accessName string
	}{
		{netpath.WiFi, "router.home.example"},
		{netpath.Ethernet, "router.home.example"},
		{netpath.LTE, "lte-gateway.mobile.example"},
		{netpath.NR, "nr-gateway.mobile.example"},
	} {
		t.Run(string(tc.network), func(t *testing.T) {
			p := newPath(t, netpath.Spec{Network: tc.network, Region: netpath.SouthChina, Node: netpath.Guangzhou})
			hops := p.Hops()
			var kinds []netpath.HopKind
			doc := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
				netip.MustParsePrefix("203.0.113.0/24")}
			for k, h := range hops {
				kinds = append(kinds, h.Kind)
				assert.Equal(t, k+1, h.TTL)
				assert.Regexp(t, `\.example$`, h.Name)
				assert.True(t, doc[0].Contains(h.Addr) || doc[1].Contains(h.Addr) || doc[2].Contains(h.Addr),
					"%s is not a documentation address", h.Addr)
			}
			assert.Equal(t, []netpath.HopKind{netpath.HopAccess, netpath.HopISP, netpath.HopBackbone,
				netpath.HopIXP, netpath.HopEdge, netpath.HopServer}, kinds)
			assert.Equal(t, tc.accessName, hops[0].Name)
			assert.Equal(t, "edge.guangzhou.fastrtc.example", hops[4].Name)
			assert.Equal(t, "media.guangzhou.fastrtc.example", hops[5].Name)
			profile := profileOf(t, tc.network)
			assert.Equal(t, profile, hops[0].Up, "a healthy access hop is its profile")
			edge, err := netpath.EdgeDelay(netpath.SouthChina, netpath.Guangzhou)
			require.NoError(t, err)
			// Device to ISP, then the edge delay, then into the server.
			want := 2 * (profile.MeanDelay() + time.Millisecond + edge + 200*time.Microsecond)
			assert.InDelta(t, float64(want), float64(meanRTT(t, p, len(hops))), 10)
		})
	}
}

func TestFarEdgeNode(t *testing.T) {
	rtt := func(node netpath.Node) time.Duration {
		return meanRTT(t, newPath(t, netpath.Spec{Network: netpath.Ethernet, Region: netpath.SouthChina, Node: node}), 6)
	}
	far, near := rtt(netpath.Beijing), rtt(netpath.Guangzhou)
	assert.Equal(t, 2*(40-6)*ms, far-near, "only the edge delay differs")
	assert.Greater(t, far, 75*ms)
	assert.Less(t, near, 25*ms)
}

// TestBadHop puts a 100 ms, 20 % loss impairment on each hop kind in turn:
// the extra RTT and loss must appear exactly from that hop on.
func TestBadHop(t *testing.T) {
	bad := impair.Config{Delay: 100 * ms, Loss: 0.2}
	healthy := newPath(t, netpath.Spec{Network: netpath.Ethernet, Region: netpath.EastChina, Node: netpath.Shanghai})
	for ttl, kind := range []netpath.HopKind{netpath.HopAccess, netpath.HopISP, netpath.HopBackbone,
		netpath.HopIXP, netpath.HopEdge, netpath.HopServer} {
		t.Run(string(kind), func(t *testing.T) {
			var opts []netpath.Option
			if kind != netpath.HopAccess {
				opts = append(opts, netpath.WithBadHop(kind)) // the access hop is the default
			}
			p := newPath(t, netpath.Spec{Network: netpath.Ethernet, Region: netpath.EastChina, Node: netpath.Shanghai,
				Uplink: bad, Downlink: bad}, opts...)
			for hop := 1; hop <= 6; hop++ {
				extra := meanRTT(t, p, hop) - meanRTT(t, healthy, hop)
				loss, err := p.RoundTripLoss(hop)
				require.NoError(t, err)
				if hop <= ttl {
					assert.InDelta(t, 0, float64(extra), 10, "ttl %d", hop)
					assert.Zero(t, loss, "ttl %d", hop)
				} else {
					assert.InDelta(t, float64(200*ms), float64(extra), 10, "ttl %d", hop)
					assert.InDelta(t, 1-0.8*0.8, loss, 1e-12, "ttl %d", hop)
				}
			}
			trace, err := p.Traceroute(rand.New(rand.NewPCG(7, uint64(ttl))))
			require.NoError(t, err)
			require.Len(t, trace, 6)
			for _, th := range trace {
				require.Len(t, th.Probes, netpath.TracerouteProbes)
				for _, pr := range th.Probes {
					if pr.Lost {
						assert.Greater(t, th.TTL, ttl, "a probe before the bad hop was lost")
						continue
					}
					// Ethernet's jitter is under a millisecond a round trip.
					if th.TTL <= ttl {
						assert.Less(t, pr.RTT, 100*ms, "ttl %d", th.TTL)
					} else {
						assert.GreaterOrEqual(t, pr.RTT, 200*ms, "ttl %d", th.TTL)
					}
				}
			}
		})
	}
	_, err := netpath.New(netpath.Spec{Network: netpath.Ethernet, Region: netpath.EastChina, Node: netpath.Shanghai},
		netpath.WithBadHop("satellite"))
	assert.ErrorIs(t, err, netpath.ErrUnknown)
}

func TestPingMatchesThePath(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec netpath.Spec
	}{
		{"weak 4g with bursts", netpath.Spec{Network: netpath.LTE, Region: netpath.CentralChina, Node: netpath.Wuhan,
			Uplink:   impair.Config{GE: &impair.GilbertElliott{P: 0.02, R: 0.25, OneMinusH: 0.9}, Delay: 40 * ms, Jitter: 30 * ms},
			Downlink: impair.Config{Loss: 0.03, Delay: 40 * ms, Jitter: 30 * ms, Distribution: impair.DistPareto}}},
		{"wifi with high rtt", netpath.Spec{Network: netpath.WiFi, Region: netpath.NorthChina, Node: netpath.Beijing,
			Uplink: impair.Config{Delay: 150 * ms, Jitter: 40 * ms}, Downlink: impair.Config{Delay: 150 * ms, Jitter: 40 * ms}}},
		{"overloaded server", netpath.Spec{Network: netpath.Ethernet, Region: netpath.EastChina, Node: netpath.Shanghai,
			Server: impair.Config{Delay: 30 * ms, Jitter: 20 * ms, Loss: 0.05}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPath(t, tc.spec)
			const n = 5000
			replies, err := p.Ping(n, rand.New(rand.NewPCG(11, 12)))
			require.NoError(t, err)
			again, err := p.Ping(n, rand.New(rand.NewPCG(11, 12)))
			require.NoError(t, err)
			assert.Equal(t, replies, again, "the same seed gives the same pings")
			for k, r := range replies {
				require.Equal(t, k+1, r.Seq)
			}
			s := netpath.Summarize(replies)
			wantLoss, err := p.RoundTripLoss(6)
			require.NoError(t, err)
			sd := math.Sqrt(wantLoss * (1 - wantLoss) / n)
			assert.InDelta(t, wantLoss, s.Loss, 5*sd+1e-9, "loss")
			want := meanRTT(t, p, 6)
			assert.InEpsilon(t, float64(want), float64(s.Avg), 0.03, "mean rtt")
			assert.LessOrEqual(t, s.Min, s.Avg)
			assert.LessOrEqual(t, s.Avg, s.Max)
			// The end-to-end configs a call would run with give the same RTT.
			assert.InDelta(t, float64(want), float64(p.Uplink().MeanDelay()+p.Downlink().MeanDelay()), 20)
			assert.InDelta(t, wantLoss, 1-(1-netpath.LossRate(p.Uplink()))*(1-netpath.LossRate(p.Downlink())), 0.005)
		})
	}
}

func TestServerOverlayIsOnTheWayBack(t *testing.T) {
	server := impair.Config{Delay: 30 * ms, Loss: 0.1}
	spec := netpath.Spec{Network: netpath.Ethernet, Region: netpath.EastChina, Node: netpath.Shanghai}
	plain := newPath(t, spec)
	spec.Server = server
	loaded := newPath(t, spec)
	assert.Equal(t, meanRTT(t, plain, 5), meanRTT(t, loaded, 5), "hops before the server do not see it")
	assert.Equal(t, 30*ms, meanRTT(t, loaded, 6)-meanRTT(t, plain, 6))
	assert.Equal(t, plain.Uplink(), loaded.Uplink())
	assert.Equal(t, 30*ms, loaded.Downlink().MeanDelay()-plain.Downlink().MeanDelay())
	assert.InDelta(t, 0.1, loaded.Downlink().Loss, 1e-12)
}

func TestEndToEnd(t *testing.T) {
	// The far-edge scenario: its timeline's delay already holds the path.
	given := impair.Config{Delay: 110 * ms, Jitter: 10 * ms, Loss: 0.02}
	for _, tc := range []struct {
		name   string
		given  impair.Config
		expect impair.Config // the end-to-end mean delay, jitter and loss
	}{
		{"the path fits inside", given, given},
		{"nothing left over: clamped at the path", impair.Config{}, impair.Config{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := netpath.Spec{Network: netpath.Ethernet, Region: netpath.SouthChina, Node: netpath.Beijing,
				Uplink: tc.given, Downlink: tc.given}
			p := newPath(t, spec, netpath.WithEndToEnd(), netpath.WithBadHop(netpath.HopBackbone))
			base := newPath(t, netpath.Spec{Network: netpath.Ethernet, Region: netpath.SouthChina, Node: netpath.Beijing})
			want := max(tc.expect.MeanDelay(), base.Uplink().MeanDelay())
			assert.InDelta(t, float64(want), float64(p.Uplink().MeanDelay()), 10)
			assert.InDelta(t, float64(want), float64(p.Downlink().MeanDelay()), 10)
			assert.InDelta(t, float64(max(tc.expect.Jitter, base.Uplink().Jitter)), float64(p.Uplink().Jitter), 10)
			assert.InDelta(t, max(tc.expect.Loss, base.Uplink().Loss), p.Uplink().Loss, 1e-12)
			assert.InDelta(t, 0, float64(meanRTT(t, p, 2)-meanRTT(t, base, 2)), 10, "the access hops stay clean")
		})
	}
}

func TestSummarize(t *testing.T) {
	r := func(seq int, rtt time.Duration, lost bool) netpath.PingReply {
		return netpath.PingReply{Seq: seq, Probe: netpath.Probe{RTT: rtt, Lost: lost}}
	}
	for _, tc := range []struct {
		name    string
		replies []netpath.PingReply
		want    netpath.PingSummary
	}{
		{"none", nil, netpath.PingSummary{}},
		{"all lost", []netpath.PingReply{r(1, 0, true), r(2, 0, true)}, netpath.PingSummary{Sent: 2, Loss: 1}},
		{"mixed", []netpath.PingReply{r(1, 10*ms, false), r(2, 0, true), r(3, 30*ms, false), r(4, 20*ms, false)},
			netpath.PingSummary{Sent: 4, Received: 3, Loss: 0.25, Min: 10 * ms, Avg: 20 * ms, Max: 30 * ms,
				MDev: time.Duration(math.Sqrt(200.0/3) * 1e6)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := netpath.Summarize(tc.replies)
			assert.InDelta(t, float64(tc.want.MDev), float64(got.MDev), 2)
			got.MDev, tc.want.MDev = 0, 0
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestErrors(t *testing.T) {
	good := netpath.Spec{Network: netpath.WiFi, Region: netpath.SouthChina, Node: netpath.Guangzhou}
	for _, tc := range []struct {
		name string
		spec func(netpath.Spec) netpath.Spec
		is   error
	}{
		{"network", func(s netpath.Spec) netpath.Spec { s.Network = "dialup"; return s }, netpath.ErrUnknown},
		{"region", func(s netpath.Spec) netpath.Spec { s.Region = "moon"; return s }, netpath.ErrUnknown},
		{"node", func(s netpath.Spec) netpath.Spec { s.Node = "lhasa"; return s }, netpath.ErrUnknown},
		{"uplink", func(s netpath.Spec) netpath.Spec { s.Uplink.Loss = 2; return s }, impair.ErrInvalidConfig},
		{"server", func(s netpath.Spec) netpath.Spec { s.Server.Delay = -ms; return s }, impair.ErrInvalidConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := netpath.New(tc.spec(good))
			assert.ErrorIs(t, err, tc.is)
		})
	}
	p := newPath(t, good)
	_, err := p.Ping(0, rand.New(rand.NewPCG(1, 1)))
	assert.Error(t, err)
	_, err = p.Ping(3, nil)
	assert.Error(t, err)
	_, err = p.Traceroute(nil)
	assert.Error(t, err)
	_, err = p.MeanRTT(7)
	assert.Error(t, err)
	_, err = p.RoundTripLoss(0)
	assert.Error(t, err)
}
