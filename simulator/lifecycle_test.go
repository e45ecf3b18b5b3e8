package simulator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// TestLifecycleNoLeaks starts and stops several calls, impaired and bare,
// and checks that every goroutine they started is gone and Close is
// idempotent. Not parallel: goleak looks at the whole process.
func TestLifecycleNoLeaks(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for i := 0; i < 4; i++ {
		opts := []simulator.Option{simulator.WithSeed(uint64(i))}
		if i%2 == 1 {
			imp := impair.Config{Loss: 0.1, Delay: 30 * time.Millisecond, Jitter: 10 * time.Millisecond, Rate: 800_000}
			opts = append(opts, simulator.WithImpairment(simulator.Downlink, imp), simulator.WithImpairment(simulator.Uplink, imp))
		}
		c := startCall(t, opts...)
		ch, cancel := c.Subscribe()
		select {
		case s, ok := <-ch:
			require.True(t, ok)
			assert.Greater(t, s.BitrateIn, 0.0)
		case <-time.After(30 * time.Second):
			t.Fatal("no sample within 30s")
		}
		cancel()
		require.NoError(t, c.Close())
		require.NoError(t, c.Close(), "Close is idempotent")
		_, open := <-ch
		assert.False(t, open, "subscription closed")
	}
}

func TestLiveImpairmentChange(t *testing.T) {
	t.Parallel()
	c := startCall(t, simulator.WithSeed(9))
	ss := samplesBetween(t, c, 2*time.Second, 4*time.Second)
	for _, s := range ss {
		assert.Less(t, s.FractionLost, 0.02, "healthy before")
		assert.Greater(t, s.FramesPerSecond, 20.0, "healthy before")
	}
	require.NoError(t, c.SetImpairment(simulator.Downlink, impair.Config{Outage: true}))
	at := c.Series()[len(c.Series())-1].Offset
	waitFor(t, 2*time.Minute, "a silent second during the outage", func() bool {
		s := c.Series()
		l := s[len(s)-1]
		return l.Offset > at+2*time.Second
	})
	s := c.Series()
	assert.Less(t, s[len(s)-1].FramesPerSecond, 1.0, "no frames during an outage")
	require.NoError(t, c.SetImpairment(simulator.Downlink, impair.Config{}))
	after := s[len(s)-1].Offset
	// webrtc-stats counts a freeze when the frame after the gap renders.
	waitFor(t, 2*time.Minute, "frames again, and the gap counted as a freeze", func() bool {
		s := c.Series()
		l := s[len(s)-1]
		return l.Offset > after+3*time.Second && l.FramesPerSecond > 20 && l.FreezeCount > 0
	})
	l := c.Series()[len(c.Series())-1]
	assert.GreaterOrEqual(t, l.TotalFreezesDuration, 1.5, "the freeze lasted about as long as the outage")
}

// TestSharedClockAndScheduler runs three calls on one MediaClock and one
// impair.Scheduler, as the web server and the benchmark do: every call gets
// healthy media at its configured delay, closing one leaves the others
// running, and nothing outlives the clock and the scheduler. Not parallel:
// goleak looks at the whole process.
func TestSharedClockAndScheduler(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	clock, err := simulator.NewMediaClock(simulator.WithShards(2))
	require.NoError(t, err)
	sched, err := impair.NewScheduler()
	require.NoError(t, err)
	imp := impair.Config{Delay: 40 * time.Millisecond}
	var calls []*simulator.Call
	for i := range 3 {
		calls = append(calls, startCall(t, simulator.WithSeed(uint64(20+i)), simulator.WithMediaClock(clock),
			simulator.WithScheduler(sched), simulator.WithImpairment(simulator.Downlink, imp),
			simulator.WithImpairment(simulator.Uplink, imp)))
	}
	check := func(c *simulator.Call, from time.Duration) {
		t.Helper()
		var rtts []float64
		for _, s := range samplesBetween(t, c, from, from+2*time.Second) {
			assert.Greater(t, s.FramesPerSecond, 25.0, "at %v", s.Offset)
			assert.Less(t, s.FractionLost, 0.01, "at %v", s.Offset)
			if s.RoundTripTime > 0 { // 0 until the first receiver report
				rtts = append(rtts, s.RoundTripTime)
			}
		}
		// 40 ms each way; the scheduler may add up to 1 ms a hop, and a
		// report read late under -race (88-89 ms were seen beside the usual
		// 81-84) adds to a sample, so the median of the window, with room.
		require.NotEmpty(t, rtts, "no sample carried an RTT")
		assert.InDelta(t, 0.080, median(rtts), 0.012, "median RTT of %v", rtts)
	}
	for _, c := range calls {
		check(c, 2*time.Second)
	}
	require.NoError(t, calls[0].Close())
	last := calls[1].Series()
	check(calls[1], last[len(last)-1].Offset+time.Second)
	for _, c := range calls[1:] {
		require.NoError(t, c.Close())
	}
	require.NoError(t, clock.Close())
	require.NoError(t, clock.Close(), "Close is idempotent")
	require.NoError(t, sched.Close())
	_, err = simulator.New(t.Context(), simulator.WithMediaClock(clock))
	assert.ErrorContains(t, err, "media clock closed")
}
