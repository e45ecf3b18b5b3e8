package impair

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenBucket(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		size int
	}{
		{"500 kbit/s, defaults", Config{Rate: 500_000}, 1200},
		{"2 Mbit/s, deep bucket, long queue", Config{Rate: 2_000_000, Burst: 30_000, Queue: 300 * time.Millisecond}, 1100},
		{"100 kbit/s, small packets", Config{Rate: 100_000}, 160},
		{"with delay and jitter", Config{Rate: 1_000_000, Delay: 40 * time.Millisecond, Jitter: 5 * time.Millisecond}, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			bytesPerSec := float64(cfg.Rate) / 8
			// An open-loop sender at twice the rate, for at least 10k packets.
			interval := time.Duration(float64(tt.size) / (2 * bytesPerSec) * float64(time.Second))
			const n = 10_000
			s := newSim(t, cfg, 31)
			got := s.run(n, interval, tt.size)
			require.NotEmpty(t, got)

			// The bucket bound holds at every release, less the fixed delay
			// (jitter only ever holds packets longer).
			delivered := 0.0
			for k, a := range got {
				delivered += float64(a.size)
				elapsed := a.at.Sub(s.start) - cfg.Delay
				limit := bytesPerSec*elapsed.Seconds() + cfg.burstBytes()
				require.LessOrEqual(t, delivered, limit+1, "arrival %d: more than Rate*elapsed+Burst", k)
			}
			last := got[len(got)-1].at.Sub(s.start) - cfg.Delay
			t.Logf("throughput %.4f of Rate, queue loss %.3f", delivered/last.Seconds()/bytesPerSec, float64(s.f.Stats().LostQueue)/n)
			assert.InEpsilon(t, bytesPerSec, delivered/last.Seconds(), 0.05, "throughput")

			// Half the offer cannot fit: the drop-tail queue sheds it.
			st := s.f.Stats()
			assert.InDelta(t, 0.5, float64(st.LostQueue)/n, 0.05)
			assert.Equal(t, uint64(n), st.Delivered+st.LostQueue)
			assert.Equal(t, uint64(len(got)), st.Delivered)

			// No packet waits longer than the queue holds.
			maxWait := time.Duration(cfg.queueBytes()/bytesPerSec*float64(time.Second)) + cfg.Delay + 2*cfg.Jitter + time.Millisecond
			for _, d := range sojourns(s, got, interval) {
				require.LessOrEqual(t, d, maxWait)
			}
		})
	}
}

func TestTokenBucketUnderRateIsTransparent(t *testing.T) {
	// At half the rate nothing queues: no loss and no added delay.
	s := newSim(t, Config{Rate: 1_000_000}, 32)
	size := 1000
	interval := time.Duration(float64(size) * 8 / 500_000 * float64(time.Second))
	got := s.run(10_000, interval, size)
	require.Len(t, got, 10_000)
	for _, d := range sojourns(s, got, interval) {
		require.Zero(t, d)
	}
	assert.Zero(t, s.f.Stats().LostQueue)
}

func TestTokenBucketBurst(t *testing.T) {
	// A burst of back-to-back packets: the first Burst bytes pass at once,
	// the rest leave at Rate.
	cfg := Config{Rate: 800_000, Burst: 5000, Queue: time.Second}
	s := newSim(t, cfg, 33)
	for k := range 20 {
		s.send(0, k, 1000)
	}
	s.drain()
	got := s.rec.arrivals()
	require.Len(t, got, 20)
	for k, a := range got {
		wait := a.at.Sub(s.start)
		if k < 5 {
			assert.Zero(t, wait, "packet %d fits in the bucket", k)
			continue
		}
		// 1000 bytes at 100 kB/s take 10 ms each.
		assert.Equal(t, time.Duration(k-4)*10*time.Millisecond, wait, "packet %d", k)
	}
}
