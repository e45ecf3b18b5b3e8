package simulator_test

import (
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// lossyCall is an open-loop call with small packets (many per second) and
// no retransmission, so that what the network drops is what the customer
// misses.
func lossyCall(tb testing.TB, down impair.Config, seed uint64) *simulator.Call {
	tb.Helper()
	return startCall(tb, simulator.WithImpairment(simulator.Downlink, down),
		simulator.WithCongestionControl(false), simulator.WithFixedBitrate(1_000_000),
		simulator.WithMaxPayload(200), simulator.WithNACK(false), simulator.WithSeed(seed))
}

func TestLossFidelity(t *testing.T) {
	for _, loss := range []float64{0.02, 0.10, 0.25} {
		t.Run(fmt.Sprintf("%.0f%%", loss*100), func(t *testing.T) {
			t.Parallel()
			c := lossyCall(t, impair.Config{Loss: loss}, 7)
			waitFor(t, 5*time.Minute, "10k video packets", func() bool { return c.Measured().VideoPackets >= 10_000 })
			m := c.Measured()
			got := float64(m.VideoLost) / float64(m.VideoPackets)
			t.Logf("loss %.2f %% configured, %.2f %% measured over %d packets", loss*100, got*100, m.VideoPackets)
			assert.InDelta(t, loss, got, 0.005, "measured loss over %d packets", m.VideoPackets)
			// The RTCP receiver reports the server sees tell the same story.
			s := c.Series()
			require.NotEmpty(t, s)
			last := s[len(s)-1]
			assert.Greater(t, last.PacketsLost, int64(0))
		})
	}
}

func TestGilbertElliottBurstLength(t *testing.T) {
	t.Parallel()
	ge := impair.GilbertElliott{P: 0.05, R: 0.4, OneMinusH: 1, OneMinusK: 0}
	c := lossyCall(t, impair.Config{GE: &ge}, 11)
	waitFor(t, 5*time.Minute, "20k video packets", func() bool { return c.Measured().VideoPackets >= 20_000 })
	m := c.Measured()
	bursts := m.VideoLossBursts
	require.Greater(t, bursts, uint64(500))
	mean := float64(m.VideoLost) / float64(bursts)
	t.Logf("mean burst %.3f packets configured, %.3f measured over %d bursts; loss %.2f %% vs %.2f %%",
		ge.MeanBurstLength(), mean, bursts, ge.LossRate()*100, 100*float64(m.VideoLost)/float64(m.VideoPackets))
	assert.InEpsilon(t, ge.MeanBurstLength(), mean, 0.10, "mean burst length over %d bursts", bursts)
	assert.InDelta(t, ge.LossRate(), float64(m.VideoLost)/float64(m.VideoPackets), 0.02)
}

func TestRoundTripTime(t *testing.T) {
	t.Parallel()
	for _, oneWay := range []time.Duration{20 * time.Millisecond, 75 * time.Millisecond} {
		t.Run(oneWay.String(), func(t *testing.T) {
			t.Parallel()
			d := impair.Config{Delay: oneWay}
			c := startCall(t, simulator.WithImpairment(simulator.Uplink, d), simulator.WithImpairment(simulator.Downlink, d))
			ss := samplesBetween(t, c, 3*time.Second, 10*time.Second)
			var rtts []float64
			for _, s := range ss {
				if s.RoundTripTime > 0 {
					rtts = append(rtts, s.RoundTripTime)
				}
			}
			require.NotEmpty(t, rtts, "RTT from receiver reports")
			sort.Float64s(rtts)
			median := rtts[len(rtts)/2]
			t.Logf("RTT %v configured, median %.1f ms of %d reports", 2*oneWay, median*1000, len(rtts))
			assert.InDelta(t, (2 * oneWay).Seconds(), median, 0.005, "median RTT of %v", rtts)
		})
	}
}

// TestJitterFidelity is not parallel with the package's other tests: RFC
// 3550 jitter is computed from the times the app reads packets, and under the
// whole -race suite a starved reader takes packets in bursts, which squeezes
// the spread (48.7 ms measured for 57.4 ms once in CI). Its two runs still
// share the machine with each other and with other packages' tests.
func TestJitterFidelity(t *testing.T) {
	for _, dist := range []impair.Distribution{impair.DistUniform, impair.DistNormal} {
		t.Run(string(dist), func(t *testing.T) {
			t.Parallel()
			// Reordering allowed: each packet keeps its own delay, so the
			// audio stream's jitter depends on the distribution alone. The
			// spread is wide so that the scheduler's own jitter on a loaded
			// machine (a few ms) stays small beside it.
			d := impair.Config{Delay: 50 * time.Millisecond, Jitter: 80 * time.Millisecond, Distribution: dist, Reorder: true}
			c := startCall(t, simulator.WithImpairment(simulator.Downlink, d), simulator.WithSeed(5))
			want := impair.ExpectedJitter(d, 20*time.Millisecond, 20_000, 5)
			ss := samplesBetween(t, c, 5*time.Second, 20*time.Second)
			var js []float64
			for _, s := range ss {
				js = append(js, s.Jitter)
			}
			// The median of the per-second reports: one second of a load
			// spike moves a mean, not a median.
			got := median(js)
			t.Logf("RFC 3550 jitter %.2f ms expected, median %.2f ms", want.Seconds()*1000, got*1000)
			assert.InEpsilon(t, want.Seconds(), got, 0.15, "RFC 3550 jitter of the audio stream %.2fms vs expected %v", got*1000, want)
		})
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
