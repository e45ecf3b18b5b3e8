package nack_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/nack"
	"github.com/rtcdrill/rtcdrill/simulator/ntp"
)

const ssrc = 1234

// clock is a virtual clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// nackInfo is a video stream that negotiated generic NACK.
func nackInfo() *interceptor.StreamInfo {
	return &interceptor.StreamInfo{SSRC: ssrc, RTCPFeedback: []interceptor.RTCPFeedback{
		{Type: "nack"}, {Type: "nack", Parameter: "pli"}}}
}

// rtpPacket marshals a packet of the test stream.
func rtpPacket(tb testing.TB, seq uint16, payload ...byte) []byte {
	tb.Helper()
	b, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SSRC: ssrc, SequenceNumber: seq},
		Payload: payload}).Marshal()
	require.NoError(tb, err)
	return b
}

// rtcpBytes marshals RTCP packets.
func rtcpBytes(tb testing.TB, pkts ...rtcp.Packet) []byte {
	tb.Helper()
	b, err := rtcp.Marshal(pkts)
	require.NoError(tb, err)
	return b
}

// sink records the NACKs a Generator writes.
type sink struct {
	mu    sync.Mutex
	asked [][]uint16
}

func (s *sink) Write(pkts []rtcp.Packet, _ interceptor.Attributes) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range pkts {
		n, ok := p.(*rtcp.TransportLayerNack)
		if !ok || n.MediaSSRC != ssrc {
			continue
		}
		var seqs []uint16
		for _, pair := range n.Nacks {
			seqs = append(seqs, pair.PacketList()...)
		}
		s.asked = append(s.asked, seqs)
	}
	return 0, nil
}

func (s *sink) take() [][]uint16 {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.asked
	s.asked = nil
	return a
}

// bytesReader yields whatever is put in next.
type bytesReader struct{ next []byte }

func (r *bytesReader) Read(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
	return copy(b, r.next), a, nil
}

// generator binds a Generator to one stream and returns a function that
// delivers a packet to it, with or without attributes as pion's reader
// would pass them.
type generatorHarness struct {
	tb     testing.TB
	clock  *clock
	sink   *sink
	rtp    *bytesReader
	rtcp   *bytesReader
	reader interceptor.RTPReader
	rtcpR  interceptor.RTCPReader
}

func newGenerator(tb testing.TB, info *interceptor.StreamInfo, opts ...nack.GeneratorOption) *generatorHarness {
	tb.Helper()
	h := &generatorHarness{tb: tb, clock: newClock(), sink: &sink{}, rtp: &bytesReader{}, rtcp: &bytesReader{}}
	f, err := nack.NewGenerator(append([]nack.GeneratorOption{nack.WithGeneratorNow(h.clock.now)}, opts...)...)
	require.NoError(tb, err)
	i, err := f.NewInterceptor("")
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = i.Close() })
	i.BindRTCPWriter(h.sink)
	h.reader = i.BindRemoteStream(info, h.rtp)
	h.rtcpR = i.BindRTCPReader(h.rtcp)
	return h
}

func (h *generatorHarness) receive(seqs ...uint16) {
	h.tb.Helper()
	buf := make([]byte, 1500)
	for k, seq := range seqs {
		h.rtp.next = rtpPacket(h.tb, seq, 1, 2, 3)
		var a interceptor.Attributes
		if k%2 == 1 {
			a = interceptor.Attributes{} // both of pion's ways
		}
		_, _, err := h.reader.Read(buf, a)
		require.NoError(h.tb, err)
	}
}

func TestGenerator(t *testing.T) {
	type step struct {
		after time.Duration // advance the clock first
		seqs  []uint16
		want  [][]uint16 // NACKs written during this step
	}
	tests := []struct {
		name  string
		opts  []nack.GeneratorOption
		steps []step
	}{
		{"no gap, no NACK", nil, []step{{0, []uint16{1, 2, 3, 4}, nil}}},
		{"a gap is asked for at once", nil, []step{{0, []uint16{1, 2, 4, 7}, [][]uint16{{3}, {5, 6}}}}},
		{"asked again after a round trip, not before", nil, []step{
			{0, []uint16{1, 3}, [][]uint16{{2}}},
			{50 * time.Millisecond, []uint16{4}, nil},
			{55 * time.Millisecond, []uint16{5}, [][]uint16{{2}}},
		}},
		{"a retransmission ends the requests", nil, []step{
			{0, []uint16{1, 3}, [][]uint16{{2}}},
			{30 * time.Millisecond, []uint16{2}, nil},
			{200 * time.Millisecond, []uint16{4, 5}, nil},
		}},
		{"at most max retries", []nack.GeneratorOption{nack.WithMaxRetries(2)}, []step{
			{0, []uint16{1, 3}, [][]uint16{{2}}},
			{100 * time.Millisecond, []uint16{4}, [][]uint16{{2}}},
			{100 * time.Millisecond, []uint16{5}, nil},
			{100 * time.Millisecond, []uint16{6}, nil},
		}},
		{"wrap-around", nil, []step{{0, []uint16{65533, 65534, 1}, [][]uint16{{65535, 0}}}}},
		{"late and duplicate packets ask for nothing", nil, []step{
			{0, []uint16{10, 12, 11, 12, 12, 9}, [][]uint16{{11}}},
			{time.Second, []uint16{13}, nil},
		}},
		{"old gaps and new gaps in one NACK", nil, []step{
			{0, []uint16{1, 3}, [][]uint16{{2}}},
			{100 * time.Millisecond, []uint16{5}, [][]uint16{{2, 4}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newGenerator(t, nackInfo(), tt.opts...)
			for k, s := range tt.steps {
				h.clock.advance(s.after)
				h.receive(s.seqs...)
				assert.Equal(t, s.want, h.sink.take(), "step %d", k)
			}
		})
	}
}

func TestGeneratorWaitsTheMeasuredRoundTrip(t *testing.T) {
	h := newGenerator(t, nackInfo())
	// A reception report about our own stream: sent 400 ms ago, held 100 ms
	// by the far end, so the round trip is 300 ms.
	lsr := ntp.Short(h.clock.now().Add(-400 * time.Millisecond))
	h.rtcp.next = rtcpBytes(t, &rtcp.ReceiverReport{SSRC: 9, Reports: []rtcp.ReceptionReport{
		{SSRC: 77, LastSenderReport: lsr, Delay: 65536 / 10}}})
	_, _, err := h.rtcpR.Read(make([]byte, 1500), nil)
	require.NoError(t, err)

	h.receive(1, 3)
	assert.Equal(t, [][]uint16{{2}}, h.sink.take())
	h.clock.advance(250 * time.Millisecond)
	h.receive(4)
	assert.Empty(t, h.sink.take(), "250 ms is under the 300 ms round trip")
	h.clock.advance(60 * time.Millisecond)
	h.receive(5)
	assert.Equal(t, [][]uint16{{2}}, h.sink.take())
}

func TestGeneratorIgnoresStreamsWithoutNACK(t *testing.T) {
	h := newGenerator(t, &interceptor.StreamInfo{SSRC: ssrc,
		RTCPFeedback: []interceptor.RTCPFeedback{{Type: "nack", Parameter: "pli"}}})
	h.receive(1, 5, 9)
	assert.Empty(t, h.sink.take())
}

func TestGeneratorOptions(t *testing.T) {
	for _, opt := range []nack.GeneratorOption{nack.WithMaxRetries(0), nack.WithMaxRetries(256), nack.WithGeneratorNow(nil)} {
		f, err := nack.NewGenerator(opt)
		require.NoError(t, err)
		_, err = f.NewInterceptor("")
		assert.Error(t, err)
	}
	for _, opt := range []nack.ResponderOption{nack.WithMinKeep(0), nack.WithResponderNow(nil)} {
		f, err := nack.NewResponder(opt)
		require.NoError(t, err)
		_, err = f.NewInterceptor("")
		assert.Error(t, err)
	}
}

func TestGeneratorRejectsAShortPacket(t *testing.T) {
	h := newGenerator(t, nackInfo())
	h.rtp.next = []byte{0x80, 96, 0, 1}
	_, _, err := h.reader.Read(make([]byte, 1500), nil)
	assert.ErrorContains(t, err, "4 bytes")
}
