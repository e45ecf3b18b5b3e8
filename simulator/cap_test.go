package simulator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

const capRate = 500_000

func TestBandwidthCapOpenLoop(t *testing.T) {
	t.Parallel()
	limit := impair.Config{Rate: capRate}
	c := startCall(t, simulator.WithImpairment(simulator.Downlink, limit),
		simulator.WithCongestionControl(false), simulator.WithFixedBitrate(1_200_000), simulator.WithSeed(3))
	ss := samplesBetween(t, c, 4*time.Second, 14*time.Second)
	require.GreaterOrEqual(t, len(ss), 8)
	var sum float64
	for _, s := range ss {
		sum += s.BitrateIn
		// Never more than the cap: one second can carry at most the rate
		// plus one bucket depth, and the sampler's own timing error.
		assert.LessOrEqual(t, s.BitrateIn, capRate*1.10, "second at %v", s.Offset)
	}
	t.Logf("open loop at 1.2 Mbit/s through a %d bit/s cap: %.0f bit/s received on average", capRate, sum/float64(len(ss)))
	assert.InEpsilon(t, capRate, sum/float64(len(ss)), 0.05, "goodput through a %d bit/s cap", capRate)
	assert.Greater(t, c.ImpairStats(simulator.Downlink).LostQueue, uint64(0), "an open-loop sender overflows the queue")
}

func TestBandwidthCapCongestionControl(t *testing.T) {
	t.Parallel()
	limit := impair.Config{Rate: capRate, Delay: 20 * time.Millisecond}
	c := startCall(t, simulator.WithImpairment(simulator.Downlink, limit), simulator.WithSeed(4))

	// GCC's target falls below the cap within 10 s of call time.
	waitFor(t, 3*time.Minute, "target under the cap", func() bool {
		for _, s := range c.Series() {
			if s.TargetBitrate < capRate {
				return true
			}
		}
		return false
	})
	var under time.Duration
	for _, s := range c.Series() {
		if s.TargetBitrate < capRate {
			under = s.Offset
			break
		}
	}
	assert.LessOrEqual(t, under, 10*time.Second, "target under the cap at %v", under)

	early := samplesBetween(t, c, 0, 3*time.Second)
	lostEarly := c.ImpairStats(simulator.Downlink).LostQueue
	samplesBetween(t, c, 0, 15*time.Second)
	lost15 := c.ImpairStats(simulator.Downlink).LostQueue
	late := samplesBetween(t, c, 15*time.Second, 25*time.Second)
	lostLate := c.ImpairStats(simulator.Downlink).LostQueue - lost15
	t.Logf("queue drops: %d in the first 3 s, %d from 15 s to 25 s", lostEarly, lostLate)
	require.NotEmpty(t, early)
	var sum float64
	for _, s := range late {
		sum += s.BitrateIn
	}
	goodput := sum / float64(len(late))
	t.Logf("GCC under the cap at %v; goodput 15-25 s %.0f bit/s (%.0f %% of the cap)", under, goodput, 100*goodput/capRate)
	assert.GreaterOrEqual(t, goodput, 0.70*capRate, "settled goodput")
	assert.LessOrEqual(t, goodput, 1.00*capRate, "settled goodput")
	// Queue loss falls once the controller has settled: from 15 s to 25 s
	// the queue drops fewer packets per second than in the first 3 s,
	// when an encoder starting at 1.2 Mbit/s met the 500 kbit/s cap. The
	// counters are read as the sample windows complete, so each window is
	// as long as its name says, give or take one sampling tick.
	assert.Less(t, float64(lostLate)/10, float64(lostEarly)/3, "queue drops per second, first 3 s: %d, 15-25 s: %d", lostEarly, lostLate)
}
