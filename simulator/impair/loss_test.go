package impair

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBernoulliLoss(t *testing.T) {
	const n = 100_000
	for _, loss := range []float64{0.02, 0.10, 0.25} {
		t.Run(fmt.Sprintf("%g", loss), func(t *testing.T) {
			s := newSim(t, Config{Loss: loss}, 11)
			got := s.run(n, time.Millisecond, 100)

			t.Logf("loss %.4f", 1-float64(len(got))/n)
			assert.InDelta(t, loss, 1-float64(len(got))/n, 0.005)
			st := s.f.Stats()
			assert.Equal(t, uint64(n), st.Packets)
			assert.Equal(t, uint64(n-len(got)), st.LostRandom)
			assert.Equal(t, uint64(len(got)), st.Delivered)
			assert.Equal(t, st.LostRandom, st.RTPLost)
			for _, a := range got {
				require.Equal(t, s.start.Add(time.Duration(a.idx)*time.Millisecond), a.at,
					"a loss-only link must not delay packet %d", a.idx)
			}
		})
	}
}

func TestGilbertElliottLoss(t *testing.T) {
	const n = 200_000
	tests := []struct {
		name string
		ge   GilbertElliott
	}{
		{"simple gilbert", GilbertElliott{P: 0.01, R: 0.3, OneMinusH: 1}},
		{"lossy bad state, clean good state", GilbertElliott{P: 0.02, R: 0.2, OneMinusH: 0.7, OneMinusK: 0.01}},
		{"short bursts", GilbertElliott{P: 0.05, R: 0.5, OneMinusH: 0.5}},
		{"long bursts", GilbertElliott{P: 0.005, R: 0.1, OneMinusH: 0.95, OneMinusK: 0.002}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ge := tt.ge
			s := newSim(t, Config{GE: &ge, Loss: 0.9}, 12) // Loss is ignored with GE
			got := s.run(n, time.Millisecond, 100)

			runs := lostRuns(got, n)
			lost := 0
			for _, r := range runs {
				lost += r
			}
			require.NotEmpty(t, runs)
			t.Logf("loss %.4f (model %.4f), mean burst %.3f (model %.3f) over %d bursts", float64(lost)/n, ge.LossRate(),
				float64(lost)/float64(len(runs)), ge.MeanBurstLength(), len(runs))
			assert.InEpsilon(t, ge.LossRate(), float64(lost)/n, 0.1, "loss rate")
			assert.InEpsilon(t, ge.MeanBurstLength(), float64(lost)/float64(len(runs)), 0.1, "mean burst length")
			assert.Equal(t, uint64(lost), s.f.Stats().LostRandom)
		})
	}
}

func TestGilbertElliottIsBurstierThanBernoulli(t *testing.T) {
	const n = 100_000
	ge := GilbertElliott{P: 0.01, R: 0.2, OneMinusH: 1}
	bursty := lostRuns(newSim(t, Config{GE: &ge}, 13).run(n, time.Millisecond, 100), n)
	random := lostRuns(newSim(t, Config{Loss: ge.LossRate()}, 13).run(n, time.Millisecond, 100), n)
	mean := func(runs []int) float64 {
		sum := 0
		for _, r := range runs {
			sum += r
		}
		return float64(sum) / float64(len(runs))
	}
	assert.Greater(t, mean(bursty), 3*mean(random))
}

func TestDuplicate(t *testing.T) {
	const n = 100_000
	for _, dup := range []float64{0.01, 0.1, 0.5} {
		t.Run(fmt.Sprintf("%g", dup), func(t *testing.T) {
			s := newSim(t, Config{Duplicate: dup}, 14)
			got := s.run(n, time.Millisecond, 100)

			st := s.f.Stats()
			t.Logf("duplicated %.4f", float64(st.Duplicated)/n)
			assert.InDelta(t, dup, float64(st.Duplicated)/n, 0.005)
			assert.Len(t, got, n+int(st.Duplicated))
			copies := make(map[int]int, n)
			for _, a := range got {
				copies[a.idx]++
			}
			twice := 0
			for idx := range n {
				c := copies[idx]
				require.True(t, c == 1 || c == 2, "packet %d arrived %d times", idx, c)
				if c == 2 {
					twice++
				}
			}
			assert.Equal(t, int(st.Duplicated), twice)
		})
	}
}

func TestOutage(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"alone", Config{Outage: true}},
		{"over every other impairment", Config{Outage: true, Loss: 0.1, Delay: 20 * time.Millisecond, Rate: 100_000, Duplicate: 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t, tt.cfg, 15)
			got := s.run(10_000, time.Millisecond, 200)

			assert.Empty(t, got)
			st := s.f.Stats()
			assert.Equal(t, uint64(10_000), st.LostOutage)
			assert.Equal(t, uint64(10_000), st.RTPLost)
			assert.Zero(t, st.Delivered+st.LostRandom+st.LostQueue+st.Duplicated)
		})
	}
}
