package impair

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRealClockConcurrentTraffic runs two RTP streams and RTCP on the wall
// clock while the config keeps changing, and checks only what holds however
// loaded the machine is: causality, order, and that every packet is counted.
func TestRealClockConcurrentTraffic(t *testing.T) {
	const (
		perStream = 2000
		minDelay  = time.Millisecond
	)
	configs := []Config{
		{Delay: 2 * time.Millisecond, Jitter: time.Millisecond, Loss: 0.05, Duplicate: 0.05, Rate: 20_000_000},
		{Delay: minDelay, Jitter: 3 * time.Millisecond, Distribution: DistPareto, GE: &GilbertElliott{P: 0.1, R: 0.5, OneMinusH: 0.5}},
	}
	f, err := NewInterceptor(WithConfig(configs[0]), WithRand(rand.New(rand.NewPCG(5, 6))))
	require.NoError(t, err)
	it, err := f.NewInterceptor("pc")
	require.NoError(t, err)

	var (
		wg    sync.WaitGroup
		recs  [2]*recorder
		sent  [2][]time.Time
		rtcpR = &rtcpRecorder{clock: RealClock{}}
	)
	for s := range recs {
		recs[s] = &recorder{clock: RealClock{}}
		sent[s] = make([]time.Time, perStream)
		w := it.BindLocalStream(&interceptor.StreamInfo{SSRC: uint32(s + 1)}, recs[s])
		wg.Go(func() {
			hdr := rtp.Header{Version: 2, SSRC: uint32(s + 1)}
			payload := make([]byte, 500)
			for k := range perStream {
				hdr.SequenceNumber = uint16(k)
				binary.BigEndian.PutUint32(payload, uint32(k))
				sent[s][k] = time.Now()
				_, err := w.Write(&hdr, payload, nil)
				assert.NoError(t, err)
				if k%200 == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	rtcpW := it.BindRTCPWriter(rtcpR)
	wg.Go(func() {
		for range 200 {
			_, err := rtcpW.Write([]rtcp.Packet{&rtcp.ReceiverReport{SSRC: 9}}, nil)
			assert.NoError(t, err)
		}
	})
	wg.Go(func() {
		for k := range 20 {
			assert.NoError(t, f.SetConfig(configs[k%2]))
			time.Sleep(time.Millisecond)
		}
	})
	wg.Wait()

	accounted := func() bool {
		st := f.Stats()
		return st.Packets+st.Duplicated == st.Delivered+st.LostRandom+st.LostQueue+st.LostOutage+st.LostClose
	}
	waitFor(t, "every packet to be released", accounted)
	require.NoError(t, it.Close())
	require.NoError(t, it.Close())

	st := f.Stats()
	assert.Equal(t, uint64(2*perStream+200), st.Packets)
	assert.Equal(t, uint64(recs[0].count()+recs[1].count()+rtcpR.count()), st.Delivered)
	assert.Positive(t, st.LostRandom)
	assert.Zero(t, st.LostClose)
	for s, rec := range recs {
		got := rec.arrivals()
		require.NotEmpty(t, got)
		for k, a := range got {
			require.GreaterOrEqual(t, a.at.Sub(sent[s][a.idx]), minDelay, "stream %d packet %d came early", s, a.idx)
			if k > 0 {
				require.GreaterOrEqual(t, a.idx, got[k-1].idx, "stream %d reordered", s)
			}
		}
	}
}
