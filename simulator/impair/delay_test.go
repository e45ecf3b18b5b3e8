package impair

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	delayN        = 10_000
	delayInterval = 20 * time.Millisecond
)

// sojourns returns how long each arrival spent in the link; packet idx was
// sent at start + idx*interval.
func sojourns(s *sim, got []arrival, interval time.Duration) []time.Duration {
	out := make([]time.Duration, len(got))
	for k, a := range got {
		out[k] = a.at.Sub(s.start.Add(time.Duration(a.idx) * interval))
	}
	return out
}

func TestDelayAndJitter(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"constant", Config{Delay: 50 * time.Millisecond}},
		{"uniform", Config{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond}},
		{"normal", Config{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, Distribution: DistNormal}},
		{"pareto", Config{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, Distribution: DistPareto}},
		{"jitter without delay", Config{Jitter: 5 * time.Millisecond, Distribution: DistNormal}},
	}
	for _, tt := range tests {
		for _, reorder := range []bool{true, false} {
			cfg := tt.cfg
			cfg.Reorder = reorder
			name := tt.name + map[bool]string{true: " reordering", false: " in order"}[reorder]
			t.Run(name, func(t *testing.T) {
				s := newSim(t, cfg, 21)
				got := s.run(delayN, delayInterval, 200)
				require.Len(t, got, delayN)

				var sum time.Duration
				for k, d := range sojourns(s, got, delayInterval) {
					require.GreaterOrEqual(t, d, cfg.Delay, "arrival %d came early", k)
					sum += d
				}
				mean := sum / delayN
				if reorder || cfg.Jitter*2 < delayInterval {
					// Each packet keeps its own draw (or never catches up with
					// the one before), so the mean is the distribution's.
					assert.InEpsilon(t, float64(cfg.MeanDelay()), float64(mean), 0.02)
				} else {
					assert.GreaterOrEqual(t, mean, cfg.MeanDelay()-cfg.MeanDelay()/50)
				}
			})
		}
	}
}

func TestReordering(t *testing.T) {
	// The jitter spread (60 ms) spans many send intervals (5 ms).
	base := Config{Delay: 10 * time.Millisecond, Jitter: 30 * time.Millisecond}
	tests := []struct {
		name    string
		reorder bool
		dist    Distribution
	}{
		{"uniform in order", false, DistUniform},
		{"pareto in order", false, DistPareto},
		{"uniform reordering", true, DistUniform},
		{"normal reordering", true, DistNormal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			cfg.Reorder, cfg.Distribution = tt.reorder, tt.dist
			s := newSim(t, cfg, 22)
			got := s.run(delayN, 5*time.Millisecond, 200)
			require.Len(t, got, delayN)

			inversions := 0
			for k := 1; k < len(got); k++ {
				if got[k].idx < got[k-1].idx {
					inversions++
				}
				require.False(t, got[k].at.Before(got[k-1].at), "arrivals recorded out of time order")
			}
			if tt.reorder {
				assert.Greater(t, inversions, delayN/20, "large jitter should reorder")
			} else {
				assert.Zero(t, inversions)
			}
		})
	}
}

func TestInterarrivalJitterMatchesExpectation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"uniform small", Config{Delay: 30 * time.Millisecond, Jitter: 5 * time.Millisecond}},
		{"uniform large in order", Config{Delay: 30 * time.Millisecond, Jitter: 30 * time.Millisecond}},
		{"uniform large reordering", Config{Delay: 30 * time.Millisecond, Jitter: 30 * time.Millisecond, Reorder: true}},
		{"normal", Config{Delay: 30 * time.Millisecond, Jitter: 10 * time.Millisecond, Distribution: DistNormal}},
		{"normal reordering", Config{Jitter: 15 * time.Millisecond, Distribution: DistNormal, Reorder: true}},
		{"pareto", Config{Delay: 30 * time.Millisecond, Jitter: 10 * time.Millisecond, Distribution: DistPareto}},
		{"pareto large in order", Config{Delay: 30 * time.Millisecond, Jitter: 40 * time.Millisecond, Distribution: DistPareto}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t, tt.cfg, 23)
			got := s.run(delayN, delayInterval, 200)
			require.Len(t, got, delayN)

			sent := make([]time.Duration, len(got))
			arrived := make([]time.Duration, len(got))
			for k, a := range got {
				sent[k] = time.Duration(a.idx) * delayInterval
				arrived[k] = a.at.Sub(s.start)
			}
			measured := meanInterarrivalJitter(sent, arrived)
			expected := ExpectedJitter(tt.cfg, delayInterval, 50_000, 99)
			t.Logf("RFC 3550 jitter measured %v, expected %v", measured, expected)
			require.Positive(t, expected)
			assert.InEpsilon(t, float64(expected), float64(measured), 0.15)
		})
	}
}

func TestExpectedJitter(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		interval time.Duration
		n        int
		want     time.Duration
	}{
		// Without reordering, E|X-Y| of two U[0,w) draws is w/3.
		{"uniform closed form", Config{Jitter: 6 * time.Millisecond}, 20 * time.Millisecond, 50_000, 4 * time.Millisecond},
		{"constant delay has none", Config{Delay: time.Second}, 20 * time.Millisecond, 1000, 0},
		{"too few packets", Config{Jitter: time.Second}, 20 * time.Millisecond, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExpectedJitter(tt.cfg, tt.interval, tt.n, 5)
			if tt.want == 0 {
				assert.Zero(t, got)
				return
			}
			assert.InEpsilon(t, float64(tt.want), float64(got), 0.03)
		})
	}
	t.Run("seeded", func(t *testing.T) {
		c := Config{Jitter: 10 * time.Millisecond, Distribution: DistPareto}
		assert.Equal(t, ExpectedJitter(c, time.Millisecond, 5000, 1), ExpectedJitter(c, time.Millisecond, 5000, 1))
		assert.NotEqual(t, ExpectedJitter(c, time.Millisecond, 5000, 1), ExpectedJitter(c, time.Millisecond, 5000, 2))
	})
}
