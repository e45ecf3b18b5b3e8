package impair

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFactory(t *testing.T) {
	t.Run("rejects bad options", func(t *testing.T) {
		for _, opt := range []Option{WithConfig(Config{Loss: -1}), WithClock(nil), WithRand(nil)} {
			_, err := NewInterceptor(opt)
			assert.Error(t, err)
		}
	})
	t.Run("config is a copy", func(t *testing.T) {
		ge := &GilbertElliott{P: 0.1, R: 0.2, OneMinusH: 1}
		f, err := NewInterceptor(WithConfig(Config{GE: ge}))
		require.NoError(t, err)
		ge.P = 0.9
		got := f.Config()
		assert.InDelta(t, 0.1, got.GE.P, 0)
		got.GE.P = 0.5
		assert.InDelta(t, 0.1, f.Config().GE.P, 0)
	})
	t.Run("sums stats and applies config to every interceptor", func(t *testing.T) {
		clock := newFakeClock()
		f, err := NewInterceptor(WithClock(clock), WithRand(rand.New(rand.NewPCG(1, 2))))
		require.NoError(t, err)
		var recs []*recorder
		var writers []interceptor.RTPWriter
		for _, id := range []string{"a", "b"} {
			i, err := f.NewInterceptor(id)
			require.NoError(t, err)
			t.Cleanup(func() { assert.NoError(t, i.Close()) })
			rec := &recorder{clock: clock}
			recs = append(recs, rec)
			writers = append(writers, i.BindLocalStream(&interceptor.StreamInfo{}, rec))
		}
		write := func(n int) {
			payload := make([]byte, 8)
			for k := range n {
				binary.BigEndian.PutUint32(payload, uint32(k))
				for _, w := range writers {
					_, err := w.Write(&rtp.Header{Version: 2}, payload, nil)
					require.NoError(t, err)
				}
			}
		}
		write(100)
		require.NoError(t, f.SetConfig(Config{Outage: true}))
		write(50)
		st := f.Stats()
		assert.Equal(t, uint64(300), st.Packets)
		assert.Equal(t, uint64(200), st.Delivered)
		assert.Equal(t, uint64(100), st.LostOutage)
		for _, rec := range recs {
			assert.Equal(t, 100, rec.count())
		}
	})
	t.Run("works inside a registry chain", func(t *testing.T) {
		f, err := NewInterceptor(WithConfig(Config{Outage: true}))
		require.NoError(t, err)
		var reg interceptor.Registry
		reg.Add(f)
		chain, err := reg.Build("pc")
		require.NoError(t, err)
		rec := &recorder{clock: RealClock{}}
		w := chain.BindLocalStream(&interceptor.StreamInfo{SSRC: 1}, rec)
		_, err = w.Write(&rtp.Header{Version: 2}, make([]byte, 8), nil)
		require.NoError(t, err)
		require.NoError(t, f.SetConfig(Config{}))
		_, err = w.Write(&rtp.Header{Version: 2}, make([]byte, 8), nil)
		require.NoError(t, err)
		require.NoError(t, chain.Close())
		assert.Equal(t, 1, rec.count())
		assert.Equal(t, uint64(1), f.Stats().LostOutage)
	})
	t.Run("same seed, same losses", func(t *testing.T) {
		run := func(seed uint64) []arrival {
			return newSim(t, Config{Loss: 0.3}, seed).run(1000, time.Millisecond, 50)
		}
		assert.Equal(t, lostRuns(run(3), 1000), lostRuns(run(3), 1000))
		assert.NotEqual(t, lostRuns(run(3), 1000), lostRuns(run(4), 1000))
	})
}
