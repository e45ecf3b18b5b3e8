package impair

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rtcpRecorder is the fake next RTCP writer.
type rtcpRecorder struct {
	clock Clock
	mu    sync.Mutex
	got   [][]rtcp.Packet
	at    []time.Time
}

func (r *rtcpRecorder) Write(pkts []rtcp.Packet, _ interceptor.Attributes) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, pkts)
	r.at = append(r.at, r.clock.Now())
	return len(pkts), nil
}

func (r *rtcpRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func TestHeldPacketsAreCopies(t *testing.T) {
	withExt := func(profile uint16, ids ...uint8) rtp.Header {
		h := rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: 7, Timestamp: 90000, SSRC: 0xabc}
		for k, id := range ids {
			h.Extension, h.ExtensionProfile = true, profile
			require.NoError(t, h.SetExtension(id, []byte{byte(k), 2, 3}))
		}
		return h
	}
	tests := []struct {
		name string
		hdr  rtp.Header
	}{
		{"plain", rtp.Header{Version: 2, Marker: true, PayloadType: 111, SequenceNumber: 65535, Timestamp: 1, SSRC: 9}},
		{"csrcs", rtp.Header{Version: 2, PayloadType: 96, SSRC: 1, CSRC: []uint32{10, 20, 30}}},
		{"one-byte extensions", withExt(rtp.ExtensionProfileOneByte, 1, 3, 5)},
		{"two-byte extensions", withExt(rtp.ExtensionProfileTwoByte, 1, 200)},
		{"extension flag without extensions", rtp.Header{Version: 2, SSRC: 1, Extension: true, ExtensionProfile: rtp.ExtensionProfileOneByte}},
		{"padding", rtp.Header{Version: 2, SSRC: 1, Padding: true, PaddingSize: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t, Config{Delay: 10 * time.Millisecond, Duplicate: 1}, 41)
			s.rec.keep = true
			hdr := tt.hdr
			want, err := hdr.Marshal()
			require.NoError(t, err)
			payload := []byte{0, 0, 0, 42, 0xaa, 0xbb}
			_, err = s.w.Write(&hdr, payload, nil)
			require.NoError(t, err)

			// Pion reuses both once Write returns.
			hdr.SequenceNumber, hdr.PaddingSize = 1, 0
			for k := range hdr.CSRC {
				hdr.CSRC[k] = 0
			}
			for _, id := range hdr.GetExtensionIDs() {
				clear(hdr.GetExtension(id))
			}
			clear(payload)
			s.drain()

			got := s.rec.arrivals()
			require.Len(t, got, 2, "duplicated")
			for _, a := range got {
				assert.Equal(t, want, a.wire)
				assert.Equal(t, tt.hdr.PaddingSize, a.padding)
				assert.Equal(t, []byte{0, 0, 0, 42, 0xaa, 0xbb}, a.payload)
				assert.Equal(t, s.start.Add(10*time.Millisecond), a.at)
			}
		})
	}
}

func TestRTCPIsImpaired(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		arrivals int
	}{
		{"passes inline", Config{}, 1},
		{"delayed and copied", Config{Delay: 25 * time.Millisecond}, 1},
		{"duplicated", Config{Delay: 25 * time.Millisecond, Duplicate: 1}, 2},
		{"lost in an outage", Config{Outage: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t, tt.cfg, 42)
			rec := &rtcpRecorder{clock: s.clock}
			w := s.i.BindRTCPWriter(rec)
			rr := &rtcp.ReceiverReport{SSRC: 5, Reports: []rtcp.ReceptionReport{{SSRC: 1, FractionLost: 25, Jitter: 90}}}
			pli := &rtcp.PictureLossIndication{SenderSSRC: 5, MediaSSRC: 1}
			_, err := w.Write([]rtcp.Packet{rr, pli}, nil)
			require.NoError(t, err)
			rr.Reports[0].FractionLost, pli.MediaSSRC = 0, 0 // the sender reuses its packets
			s.drain()

			require.Equal(t, tt.arrivals, rec.count())
			for k, pkts := range rec.got {
				require.Len(t, pkts, 2)
				got, ok := pkts[0].(*rtcp.ReceiverReport)
				require.True(t, ok)
				if tt.cfg.Delay > 0 {
					assert.Equal(t, uint8(25), got.Reports[0].FractionLost, "held RTCP must be a copy")
					assert.Equal(t, uint32(1), pkts[1].(*rtcp.PictureLossIndication).MediaSSRC)
				}
				assert.Equal(t, s.start.Add(tt.cfg.Delay), rec.at[k])
			}
			st := s.f.Stats()
			assert.Equal(t, uint64(1), st.Packets)
			assert.Equal(t, uint64(rr.MarshalSize()+pli.MarshalSize()), st.Bytes)
			assert.Equal(t, uint64(tt.arrivals), st.Delivered)
			assert.Zero(t, st.RTPPackets+st.RTPDelivered+st.RTPLost, "RTCP is not RTP")
		})
	}
}

func TestSetConfigWhileRunning(t *testing.T) {
	s := newSim(t, Config{}, 43)
	const interval = 10 * time.Millisecond
	delayed := func(d time.Duration) func(t *testing.T, got []arrival, sojourn []time.Duration) {
		return func(t *testing.T, got []arrival, sojourn []time.Duration) {
			require.Len(t, got, 100)
			for _, w := range sojourn {
				require.Equal(t, d, w)
			}
		}
	}
	phases := []struct {
		cfg   Config
		check func(t *testing.T, got []arrival, sojourn []time.Duration)
	}{
		{Config{}, delayed(0)},
		{Config{Delay: 100 * time.Millisecond}, delayed(100 * time.Millisecond)},
		{Config{Outage: true}, func(t *testing.T, got []arrival, _ []time.Duration) {
			assert.Empty(t, got)
		}},
		{Config{Loss: 0.5}, func(t *testing.T, got []arrival, _ []time.Duration) {
			assert.InDelta(t, 50, len(got), 20)
		}},
		// 100 bytes every 10 ms is exactly the rate: nothing waits or is lost.
		{Config{Rate: 80_000, Burst: 1000}, delayed(0)},
		{Config{Delay: 5 * time.Millisecond, Jitter: 1 * time.Millisecond}, func(t *testing.T, got []arrival, sojourn []time.Duration) {
			require.Len(t, got, 100)
			for _, w := range sojourn {
				require.True(t, w >= 5*time.Millisecond && w <= 7*time.Millisecond, "sojourn %v", w)
			}
		}},
		{Config{}, delayed(0)},
	}
	idx := 0
	for p, ph := range phases {
		require.NoError(t, s.f.SetConfig(ph.cfg))
		assert.Equal(t, ph.cfg, s.f.Config())
		before, first := s.rec.count(), idx
		for range 100 {
			s.send(time.Duration(idx)*interval, idx, 100)
			idx++
		}
		s.drain()
		got := s.rec.arrivals()[before:]
		for _, a := range got {
			require.GreaterOrEqual(t, a.idx, first, "phase %d: a packet from an earlier phase arrived late", p)
		}
		ph.check(t, got, sojourns(s, got, interval))
	}
	assert.ErrorIs(t, s.f.SetConfig(Config{Loss: 2}), ErrInvalidConfig)
	assert.Equal(t, Config{}, s.f.Config(), "a rejected config changes nothing")
}

func TestNoOvertakingWhenDelayDrops(t *testing.T) {
	// Packets still held for 200 ms must not be overtaken by those sent
	// after the delay is removed.
	s := newSim(t, Config{Delay: 200 * time.Millisecond}, 44)
	for k := range 10 {
		s.send(time.Duration(k)*time.Millisecond, k, 100)
	}
	require.NoError(t, s.f.SetConfig(Config{}))
	for k := 10; k < 20; k++ {
		s.send(time.Duration(k)*time.Millisecond, k, 100)
	}
	s.drain()
	got := s.rec.arrivals()
	require.Len(t, got, 20)
	for k, a := range got {
		assert.Equal(t, k, a.idx)
	}
	assert.Equal(t, got[9].at, got[10].at, "the first undelayed packet waits behind the last delayed one")
}

func TestCloseDropsQueuedAndIsIdempotent(t *testing.T) {
	s := newSim(t, Config{Delay: time.Second}, 45)
	for k := range 10 {
		s.send(time.Duration(k)*time.Millisecond, k, 100)
	}
	rtcpW := s.i.BindRTCPWriter(&rtcpRecorder{clock: s.clock})
	_, err := rtcpW.Write([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: 1}}, nil)
	require.NoError(t, err)

	require.NoError(t, s.i.Close())
	require.NoError(t, s.i.Close())
	st := s.f.Stats()
	assert.Equal(t, uint64(11), st.LostClose)
	assert.Equal(t, uint64(10), st.RTPLost)

	_, err = s.w.Write(&rtp.Header{Version: 2}, make([]byte, 8), nil)
	assert.ErrorIs(t, err, ErrClosed)
	_, err = rtcpW.Write([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: 1}}, nil)
	assert.ErrorIs(t, err, ErrClosed)
	s.clock.Set(s.start.Add(time.Hour))
	assert.Zero(t, s.rec.count(), "nothing is released after Close")
	assert.Equal(t, uint64(13), s.f.Stats().LostClose)
}

func TestCloseWithoutTraffic(t *testing.T) {
	f, err := NewInterceptor()
	require.NoError(t, err)
	i, err := f.NewInterceptor("idle")
	require.NoError(t, err)
	assert.NoError(t, i.Close())
	assert.NoError(t, i.Close())
}

func TestStatsAddUp(t *testing.T) {
	ge := GilbertElliott{P: 0.05, R: 0.3, OneMinusH: 0.8}
	s := newSim(t, Config{GE: &ge, Duplicate: 0.1, Rate: 400_000, Delay: 30 * time.Millisecond, Jitter: 10 * time.Millisecond}, 46)
	const interval = 2 * time.Millisecond
	for k := range 10_000 {
		s.send(time.Duration(k)*interval, k, 150)
	}
	// The outage starts with packets still in flight; Close then drops them.
	require.NoError(t, s.f.SetConfig(Config{Outage: true}))
	for k := 10_000; k < 10_100; k++ {
		s.send(9_999*interval, k, 150)
	}
	require.NoError(t, s.i.Close())

	st := s.f.Stats()
	assert.Equal(t, uint64(10_100), st.Packets)
	assert.Equal(t, uint64(10_100*150), st.Bytes)
	for name, v := range map[string]uint64{"random": st.LostRandom, "queue": st.LostQueue, "outage": st.LostOutage,
		"close": st.LostClose, "duplicated": st.Duplicated} {
		assert.Positive(t, v, name)
	}
	assert.Equal(t, st.Packets+st.Duplicated, st.Delivered+st.LostRandom+st.LostQueue+st.LostOutage+st.LostClose)
	assert.Equal(t, uint64(s.rec.count()), st.Delivered)
	assert.Equal(t, st.Delivered*150, st.DeliveredBytes)
	assert.Equal(t, st.Packets, st.RTPPackets)
	assert.Equal(t, st.Delivered, st.RTPDelivered)
	assert.Equal(t, st.LostRandom+st.LostQueue+st.LostOutage+st.LostClose, st.RTPLost)
}

// failingWriter refuses every packet.
type failingWriter struct{}

var errRefused = errors.New("refused")

func (failingWriter) Write(*rtp.Header, []byte, interceptor.Attributes) (int, error) {
	return 0, errRefused
}

func TestWriteErrors(t *testing.T) {
	s := newSim(t, Config{}, 47)
	w := s.i.BindLocalStream(&interceptor.StreamInfo{SSRC: 2}, failingWriter{})
	payload := make([]byte, 8)
	_, err := w.Write(&rtp.Header{Version: 2}, payload, nil)
	assert.ErrorIs(t, err, errRefused, "an inline write returns the next writer's error")

	require.NoError(t, s.f.SetConfig(Config{Delay: time.Millisecond}))
	_, err = w.Write(&rtp.Header{Version: 2}, payload, nil)
	assert.NoError(t, err, "a held packet's fate is not known yet")
	s.drain()
	assert.Equal(t, uint64(1), s.f.Stats().WriteErrors)
}
