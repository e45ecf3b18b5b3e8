package netpath

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

func TestCombine(t *testing.T) {
	ms := time.Millisecond
	ge := &impair.GilbertElliott{P: 0.05, R: 0.5, OneMinusH: 1}
	longGE := &impair.GilbertElliott{P: 0.01, R: 0.1, OneMinusH: 1}
	for _, tc := range []struct {
		name string
		a, b impair.Config
		want impair.Config
	}{
		{"zero is the identity", impair.Config{}, impair.Config{Delay: 5 * ms, Jitter: 2 * ms, Loss: 0.25, Rate: 1e6},
			impair.Config{Delay: 5 * ms, Jitter: 2 * ms, Loss: 0.25, Rate: 1e6}},
		{"delays add", impair.Config{Delay: 5 * ms}, impair.Config{Delay: 30 * ms}, impair.Config{Delay: 35 * ms}},
		{"losses combine", impair.Config{Loss: 0.5}, impair.Config{Loss: 0.5}, impair.Config{Loss: 0.75}},
		// sqrt(3^2+4^2) = 5; the means 3+4 = 7 were added, 5 are now: +2 to Delay.
		{"uniform jitters", impair.Config{Jitter: 3 * ms}, impair.Config{Delay: 10 * ms, Jitter: 4 * ms},
			impair.Config{Delay: 12 * ms, Jitter: 5 * ms}},
		// pareto wins; its mean is 5/2; the means added were 3 + 4/2.
		{"heavier tail wins", impair.Config{Jitter: 3 * ms}, impair.Config{Jitter: 4 * ms, Distribution: impair.DistPareto},
			impair.Config{Delay: 2500 * time.Microsecond, Jitter: 5 * ms, Distribution: impair.DistPareto}},
		{"smaller non-zero rate with its queue", impair.Config{Rate: 2e6, Queue: 50 * ms}, impair.Config{Rate: 5e5, Burst: 3000, Queue: 200 * ms},
			impair.Config{Rate: 5e5, Burst: 3000, Queue: 200 * ms}},
		{"rate on one side only", impair.Config{Rate: 2e6, Queue: 50 * ms}, impair.Config{Delay: ms},
			impair.Config{Rate: 2e6, Queue: 50 * ms, Delay: ms}},
		{"outage, reorder and duplication", impair.Config{Outage: true, Duplicate: 0.5}, impair.Config{Reorder: true, Duplicate: 0.5},
			impair.Config{Outage: true, Reorder: true, Duplicate: 0.75}},
		{"bursts keep their chain", impair.Config{GE: ge}, impair.Config{Loss: 0.5},
			impair.Config{GE: &impair.GilbertElliott{P: 0.05, R: 0.5, OneMinusH: 1, OneMinusK: 0.5}}},
		{"the burstier chain wins", impair.Config{GE: ge}, impair.Config{GE: longGE},
			impair.Config{GE: &impair.GilbertElliott{P: 0.01, R: 0.1, OneMinusH: 1, OneMinusK: ge.LossRate()}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range [][2]impair.Config{{tc.a, tc.b}, {tc.b, tc.a}} {
				got := Combine(order[0], order[1])
				assert.InDelta(t, float64(tc.want.Delay), float64(got.Delay), 2, "delay")
				assert.InDelta(t, float64(tc.want.Jitter), float64(got.Jitter), 1, "jitter")
				want, g := tc.want, got
				want.Delay, want.Jitter, g.Delay, g.Jitter = 0, 0, 0, 0
				if want.Distribution == "" {
					want.Distribution = g.Distribution // uniform either way
				}
				assert.InDelta(t, want.Loss, g.Loss, 1e-12, "loss")
				assert.InDelta(t, want.Duplicate, g.Duplicate, 1e-12, "duplicate")
				if want.GE != nil && assert.NotNil(t, g.GE) {
					assert.InDelta(t, want.GE.OneMinusK, g.GE.OneMinusK, 1e-12)
					g.GE.OneMinusK = want.GE.OneMinusK
				}
				want.Loss, want.Duplicate, g.Loss, g.Duplicate = 0, 0, 0, 0
				assert.Equal(t, want, g)
				assert.InDelta(t, float64(order[0].MeanDelay()+order[1].MeanDelay()), float64(got.MeanDelay()), 2,
					"the mean delay is kept")
				assert.InDelta(t, 1-(1-LossRate(order[0]))*(1-LossRate(order[1])), LossRate(got), 0.01,
					"the loss rate is kept (exactly for Bernoulli, nearly for chains)")
			}
		})
	}
}

// TestCombineKeepsMeanAndVariance draws a link a then a link b and compares
// the delays with draws of Combine(a, b): same shape, mean and variance.
func TestCombineKeepsMeanAndVariance(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name string
		a, b impair.Config
	}{
		{"uniform", impair.Config{Delay: 10 * ms, Jitter: 6 * ms}, impair.Config{Delay: 2 * ms, Jitter: 8 * ms}},
		{"normal", impair.Config{Jitter: 6 * ms, Distribution: impair.DistNormal},
			impair.Config{Delay: 20 * ms, Jitter: 8 * ms, Distribution: impair.DistNormal}},
		{"pareto", impair.Config{Jitter: 6 * ms, Distribution: impair.DistPareto},
			impair.Config{Delay: 5 * ms, Jitter: 8 * ms, Distribution: impair.DistPareto}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 200_000
			rng := rand.New(rand.NewPCG(1, 2))
			c := Combine(tc.a, tc.b)
			var series, combined [2]float64 // sum, sum of squares, in ms
			for range n {
				da, _ := draw(tc.a, rng)
				db, _ := draw(tc.b, rng)
				dc, _ := draw(c, rng)
				s, k := float64(da+db)/1e6, float64(dc)/1e6
				series[0] += s
				series[1] += s * s
				combined[0] += k
				combined[1] += k * k
			}
			meanS, meanC := series[0]/n, combined[0]/n
			sdS := math.Sqrt(series[1]/n - meanS*meanS)
			sdC := math.Sqrt(combined[1]/n - meanC*meanC)
			assert.InEpsilon(t, meanS, meanC, 0.01, "mean")
			assert.InEpsilon(t, float64(tc.a.MeanDelay()+tc.b.MeanDelay())/1e6, meanC, 0.01, "mean as configured")
			// Pareto(3) has a heavy fourth moment: its sample deviation
			// converges slowly, hence the wider bound.
			assert.InEpsilon(t, sdS, sdC, 0.05, "standard deviation")
		})
	}
}
