package capture_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/capture"
)

func seqs(ps []capture.Packet) []uint16 {
	out := make([]uint16, len(ps))
	for k, p := range ps {
		out[k] = p.SequenceNumber
	}
	return out
}

func TestBounds(t *testing.T) {
	for _, tc := range []struct {
		name        string
		opts        []capture.Option
		arrivals    []arrival
		wantSeqs    []uint16
		wantEvicted uint64
	}{
		{"count bound keeps the newest",
			[]capture.Option{capture.WithMaxPackets(5), capture.WithMaxAge(0)},
			regular(8, 1, time.Second, 8000, 1, 0), []uint16{4, 5, 6, 7, 8}, 3},
		{"age bound keeps the last window",
			[]capture.Option{capture.WithMaxPackets(100), capture.WithMaxAge(2500 * time.Millisecond)},
			regular(10, 1, time.Second, 8000, 1, 0), []uint16{8, 9, 10}, 7},
		{"age then count, while the ring grows",
			[]capture.Option{capture.WithMaxPackets(4), capture.WithMaxAge(1500 * time.Millisecond)},
			append(regular(3, 1, 100*time.Millisecond, 8000, 1, 0),
				[]arrival{{at: 3 * time.Second, seq: 4, ssrc: 1}, {at: 3 * time.Second, seq: 5, ssrc: 1},
					{at: 3 * time.Second, seq: 6, ssrc: 1}, {at: 3 * time.Second, seq: 7, ssrc: 1},
					{at: 3 * time.Second, seq: 8, ssrc: 1}}...),
			[]uint16{5, 6, 7, 8}, 4},
		{"ring grows after the age bound moved its head",
			[]capture.Option{capture.WithMaxPackets(4), capture.WithMaxAge(1500 * time.Millisecond)},
			[]arrival{{at: 0, seq: 1}, {at: 0, seq: 2}, {at: time.Second, seq: 3},
				{at: 2 * time.Second, seq: 4}, {at: 2 * time.Second, seq: 5},
				{at: 2 * time.Second, seq: 6}, {at: 2 * time.Second, seq: 7}},
			[]uint16{4, 5, 6, 7}, 3},
		{"defaults hold a short call whole", nil,
			regular(500, 1, 20*time.Millisecond, 8000, 1, 0), nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			f, ci := newCapture(t, clock, tc.opts...)
			receive(t, clock, ci, 8000, 10, tc.arrivals)
			got := ci.Packets()
			want := tc.wantSeqs
			if want == nil {
				for _, a := range tc.arrivals {
					want = append(want, a.seq)
				}
			}
			assert.Equal(t, want, seqs(got))
			st := f.Stats()
			assert.Equal(t, uint64(len(tc.arrivals)), st.Recorded)
			assert.Equal(t, tc.wantEvicted, st.Evicted)
			assert.Equal(t, len(want), st.Held)
		})
	}
}

func TestAgeBoundAppliesWithoutTraffic(t *testing.T) {
	clock := newFakeClock()
	_, ci := newCapture(t, clock, capture.WithMaxAge(time.Second))
	receive(t, clock, ci, 8000, 10, regular(3, 1, 10*time.Millisecond, 8000, 1, 0))
	require.Len(t, ci.Packets(), 3)
	clock.Set(clock.Now().Add(2 * time.Second))
	assert.Empty(t, ci.Packets())
	assert.Equal(t, capture.Stats{Recorded: 3, Evicted: 3}, ci.Stats())
}

func TestSentRTPIsRecordedWhole(t *testing.T) {
	clock := newFakeClock()
	_, ci := newCapture(t, clock)
	var forwarded []uint16
	next := interceptor.RTPWriterFunc(func(h *rtp.Header, payload []byte, _ interceptor.Attributes) (int, error) {
		forwarded = append(forwarded, h.SequenceNumber)
		return len(payload), nil
	})
	w := ci.BindLocalStream(&interceptor.StreamInfo{ClockRate: 90000}, next)
	h := rtp.Header{Version: 2, Marker: true, PayloadType: 96, SequenceNumber: 42, Timestamp: 9000, SSRC: 0xBEEF}
	require.NoError(t, h.SetExtension(1, []byte{0xAA, 0xBB}))
	payload := []byte("frame-data")
	_, err := w.Write(&h, payload, nil)
	require.NoError(t, err)
	payload[0] = 'X' // the sender reuses its buffer: the capture must have copied

	assert.Equal(t, []uint16{42}, forwarded, "the packet goes on to the next writer")
	got := ci.Packets()
	require.Len(t, got, 1)
	p := got[0]
	assert.Equal(t, capture.Sent, p.Direction)
	assert.Equal(t, capture.RTP, p.Kind)
	assert.Equal(t, [2]uint16{capture.ClientPort, capture.ServerPort}, [2]uint16{p.SrcPort, p.DstPort})
	assert.Equal(t, uint32(90000), p.ClockRate)
	assert.Equal(t, clock.Now(), p.Time)
	var parsed rtp.Packet
	require.NoError(t, parsed.Unmarshal(p.Data))
	assert.Equal(t, "frame-data", string(parsed.Payload))
	assert.Equal(t, []byte{0xAA, 0xBB}, parsed.GetExtension(1))
	assert.True(t, parsed.Marker)
	assert.Equal(t, [3]uint32{0xBEEF, 9000, 42}, [3]uint32{parsed.SSRC, parsed.Timestamp, uint32(parsed.SequenceNumber)})
}

func TestRTCPBothWays(t *testing.T) {
	clock := newFakeClock()
	_, ci := newCapture(t, clock, capture.WithPorts(capture.ServerPort, capture.ClientPort))
	sent := []rtcp.Packet{&rtcp.PictureLossIndication{SenderSSRC: 1, MediaSSRC: 2}}
	w := ci.BindRTCPWriter(interceptor.RTCPWriterFunc(func(p []rtcp.Packet, _ interceptor.Attributes) (int, error) {
		return len(p), nil
	}))
	_, err := w.Write(sent, nil)
	require.NoError(t, err)

	rr, err := rtcp.Marshal([]rtcp.Packet{&rtcp.ReceiverReport{SSRC: 3, Reports: []rtcp.ReceptionReport{{SSRC: 4, FractionLost: 25}}}})
	require.NoError(t, err)
	r := ci.BindRTCPReader(interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		return copy(b, rr), a, nil
	}))
	_, _, err = r.Read(make([]byte, 1500), nil)
	require.NoError(t, err)

	got := ci.Packets()
	require.Len(t, got, 2)
	for k, want := range []struct {
		dir      capture.Direction
		src, dst uint16
		typ      any
	}{
		{capture.Sent, capture.ServerPort, capture.ClientPort, &rtcp.PictureLossIndication{}},
		{capture.Received, capture.ClientPort, capture.ServerPort, &rtcp.ReceiverReport{}},
	} {
		p := got[k]
		assert.Equal(t, capture.RTCP, p.Kind)
		assert.Equal(t, want.dir, p.Direction)
		assert.Equal(t, [2]uint16{want.src, want.dst}, [2]uint16{p.SrcPort, p.DstPort})
		pkts, err := rtcp.Unmarshal(p.Data)
		require.NoError(t, err)
		require.Len(t, pkts, 1)
		assert.IsType(t, want.typ, pkts[0])
	}
	assert.Empty(t, capture.Analyze(got), "RTCP is not an RTP stream")
}

func TestReadErrorsPassThrough(t *testing.T) {
	clock := newFakeClock()
	_, ci := newCapture(t, clock)
	boom := errors.New("boom")
	r := ci.BindRemoteStream(&interceptor.StreamInfo{}, interceptor.RTPReaderFunc(
		func([]byte, interceptor.Attributes) (int, interceptor.Attributes, error) { return 0, nil, boom }))
	_, _, err := r.Read(make([]byte, 10), nil)
	assert.ErrorIs(t, err, boom)
	assert.Empty(t, ci.Packets())
}

func TestCloseKeepsTheRecording(t *testing.T) {
	clock := newFakeClock()
	f, ci := newCapture(t, clock)
	receive(t, clock, ci, 8000, 10, regular(3, 1, time.Millisecond, 8000, 1, 0))
	require.NoError(t, ci.Close())
	require.NoError(t, ci.Close(), "Close is idempotent")
	receive(t, clock, ci, 8000, 10, regular(3, 10, time.Millisecond, 8000, 1, 0))
	assert.Equal(t, []uint16{1, 2, 3}, seqs(f.Packets()), "kept, and nothing recorded after Close")

	snap := ci.Packets()
	snap[0].Data[0] = 0
	assert.NotEqual(t, byte(0), ci.Packets()[0].Data[0], "a snapshot is a copy")
}

func TestOptionsRejectNonsense(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  capture.Option
	}{
		{"nil clock", capture.WithNow(nil)},
		{"no packets", capture.WithMaxPackets(0)},
		{"negative age", capture.WithMaxAge(-time.Second)},
		{"same ports", capture.WithPorts(50000, 50000)},
		{"zero port", capture.WithPorts(0, 50000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := capture.NewInterceptor(tc.opt)
			assert.Error(t, err)
		})
	}
}
