package impair

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/require"
)

// benchInterceptor writes b.N 1200-byte packets with a two-extension header
// (as a video sender's) through one Interceptor, reusing header and payload
// as Pion does, and waits until all of them are accounted for.
func benchInterceptor(b *testing.B, c Config) {
	benchFrames(b, c, 0)
}

// benchFrames is benchInterceptor in virtual time with the sender writing
// frames of frame packets and moving the clock past the frame's release
// before the next one: a video sender's bursts at a realistic queue depth, and
// the cost of holding and releasing without the wait (frame 0: wall clock,
// b.N packets in flight).
func benchFrames(b *testing.B, c Config, frame int) {
	b.Helper()
	opts := []Option{WithConfig(c), WithRand(rand.New(rand.NewPCG(1, 2)))}
	clock := newFakeClock()
	if frame > 0 {
		opts = append(opts, WithClock(clock))
	}
	f, err := NewInterceptor(opts...)
	require.NoError(b, err)
	it, err := f.NewInterceptor("bench")
	require.NoError(b, err)
	var delivered atomic.Int64
	w := it.BindLocalStream(&interceptor.StreamInfo{}, interceptor.RTPWriterFunc(
		func(h *rtp.Header, payload []byte, _ interceptor.Attributes) (int, error) {
			delivered.Add(1)
			return len(payload), nil
		}))
	hdr := rtp.Header{Version: 2, PayloadType: 96, SSRC: 1, Extension: true, ExtensionProfile: rtp.ExtensionProfileOneByte}
	require.NoError(b, hdr.SetExtension(1, []byte{1, 2, 3}))
	require.NoError(b, hdr.SetExtension(3, []byte{4, 5}))
	payload := make([]byte, 1200-hdr.MarshalSize())

	b.ReportAllocs()
	b.SetBytes(1200)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for k := range b.N {
		hdr.SequenceNumber = uint16(k)
		if _, err := w.Write(&hdr, payload, nil); err != nil {
			b.Fatal(err)
		}
		if frame > 0 && k%frame == frame-1 {
			clock.Set(clock.Now().Add(c.Delay + 2*c.Jitter))
			for delivered.Load() < int64(k+1) {
				runtime.Gosched()
			}
		}
	}
	if frame > 0 {
		clock.Set(clock.Now().Add(c.Delay + 2*c.Jitter)) // the last, partial frame
	}
	waitFor(b, "every packet to be released", func() bool {
		st := f.Stats()
		return st.Packets+st.Duplicated == st.Delivered+st.LostRandom+st.LostQueue+st.LostOutage
	})
	b.StopTimer()
	runtime.ReadMemStats(&after)
	require.NoError(b, it.Close())
	// allocs/op rounds down; this shows the fraction.
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "mallocs/op")
	b.ReportMetric(float64(delivered.Load())/float64(b.N), "delivered/op")
}

func BenchmarkInterceptorBare(b *testing.B) { benchInterceptor(b, Config{}) }

func BenchmarkInterceptorLossDuplicate(b *testing.B) {
	benchInterceptor(b, Config{Loss: 0.1, Duplicate: 0.01})
}

func BenchmarkInterceptorGilbertElliott(b *testing.B) {
	benchInterceptor(b, Config{GE: &GilbertElliott{P: 0.01, R: 0.3, OneMinusH: 1}})
}

func BenchmarkInterceptorDelay(b *testing.B) {
	benchInterceptor(b, Config{Delay: time.Millisecond})
}

func BenchmarkInterceptorDelayFrames(b *testing.B) {
	benchFrames(b, Config{Delay: 50 * time.Millisecond, Jitter: 5 * time.Millisecond}, 8)
}

func BenchmarkInterceptorDelayJitter(b *testing.B) {
	benchInterceptor(b, Config{Delay: time.Millisecond, Jitter: time.Millisecond, Distribution: DistNormal})
}

func BenchmarkInterceptorRate(b *testing.B) {
	benchInterceptor(b, Config{Rate: 1_000_000_000, Queue: 10 * time.Millisecond})
}
