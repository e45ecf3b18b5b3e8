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
)

// wire records what reaches the writer below the Responder.
type wire struct {
	mu   sync.Mutex
	pkts []rtp.Packet
}

func (w *wire) Write(h *rtp.Header, payload []byte, _ interceptor.Attributes) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pkts = append(w.pkts, rtp.Packet{Header: h.Clone(), Payload: append([]byte(nil), payload...)})
	return len(payload), nil
}

func (w *wire) take() []rtp.Packet {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.pkts
	w.pkts = nil
	return p
}

type responderHarness struct {
	tb     testing.TB
	clock  *clock
	wire   *wire
	writer interceptor.RTPWriter
	rtcp   *bytesReader
	rtcpR  interceptor.RTCPReader
}

func newResponder(tb testing.TB, info *interceptor.StreamInfo, opts ...nack.ResponderOption) *responderHarness {
	tb.Helper()
	h := &responderHarness{tb: tb, clock: newClock(), wire: &wire{}, rtcp: &bytesReader{}}
	f, err := nack.NewResponder(append([]nack.ResponderOption{nack.WithResponderNow(h.clock.now)}, opts...)...)
	require.NoError(tb, err)
	i, err := f.NewInterceptor("")
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = i.Close() })
	h.writer = i.BindLocalStream(info, h.wire)
	h.rtcpR = i.BindRTCPReader(h.rtcp)
	return h
}

// send writes packets seq.. with a payload that names them; the buffer is
// reused between writes, as the engine's packetizer does.
func (h *responderHarness) send(seqs ...uint16) {
	h.tb.Helper()
	payload := make([]byte, 0, 64)
	for _, seq := range seqs {
		payload = append(payload[:0], byte(seq), byte(seq>>8))
		for range int(seq % 40) { // sizes vary, so reused buffers are resized
			payload = append(payload, 0xAB)
		}
		_, err := h.writer.Write(&rtp.Header{Version: 2, PayloadType: 96, SSRC: ssrc, SequenceNumber: seq}, payload, nil)
		require.NoError(h.tb, err)
		payload[0] = 0xFF // the sender's buffer changes afterwards
	}
}

// nackFor delivers a NACK for seqs.
func (h *responderHarness) nackFor(seqs ...uint16) {
	h.tb.Helper()
	h.rtcp.next = rtcpBytes(h.tb, &rtcp.TransportLayerNack{MediaSSRC: ssrc,
		Nacks: rtcp.NackPairsFromSequenceNumbers(seqs)})
	_, _, err := h.rtcpR.Read(make([]byte, 1500), nil)
	require.NoError(h.tb, err)
}

func seqsOf(pkts []rtp.Packet) []uint16 {
	var s []uint16
	for _, p := range pkts {
		s = append(s, p.SequenceNumber)
	}
	return s
}

func TestResponderResendsWhatIsAskedFor(t *testing.T) {
	h := newResponder(t, nackInfo())
	h.send(1, 2, 3, 4, 5)
	require.Len(t, h.wire.take(), 5, "sending passes through")

	h.nackFor(2, 4, 9)
	got := h.wire.take()
	assert.Equal(t, []uint16{2, 4}, seqsOf(got), "9 was never sent")
	for _, p := range got {
		assert.Equal(t, byte(p.SequenceNumber), p.Payload[0], "the payload as sent, not as the buffer became")
		assert.Len(t, p.Payload, 2+int(p.SequenceNumber%40))
		assert.Equal(t, uint32(ssrc), p.SSRC)
	}
}

func TestResponderResendsOncePerRoundTrip(t *testing.T) {
	h := newResponder(t, nackInfo())
	h.send(1, 2, 3)
	h.wire.take()
	h.nackFor(2)
	h.nackFor(2)
	assert.Equal(t, []uint16{2}, seqsOf(h.wire.take()), "the second NACK left before the retransmission could arrive")
	h.clock.advance(nack.DefaultRTT)
	h.nackFor(2)
	assert.Equal(t, []uint16{2}, seqsOf(h.wire.take()), "a round trip later the retransmission was lost too")
}

func TestResponderForgetsOldPackets(t *testing.T) {
	h := newResponder(t, nackInfo(), nack.WithMinKeep(500*time.Millisecond))
	for seq := uint16(1); seq <= 100; seq++ { // 1 s at 100 packets a second
		h.send(seq)
		h.clock.advance(10 * time.Millisecond)
	}
	h.wire.take()
	h.nackFor(10, 40, 60, 100)
	assert.Equal(t, []uint16{60, 100}, seqsOf(h.wire.take()), "kept for max(500 ms, 3 x 100 ms)")

	// Buffers of dropped packets are reused for new ones of other sizes.
	for seq := uint16(101); seq <= 300; seq++ {
		h.send(seq)
		h.clock.advance(10 * time.Millisecond)
	}
	h.wire.take()
	h.nackFor(255, 299)
	got := h.wire.take()
	require.Equal(t, []uint16{255, 299}, seqsOf(got))
	for _, p := range got {
		assert.Len(t, p.Payload, 2+int(p.SequenceNumber%40))
		assert.Equal(t, []byte{byte(p.SequenceNumber), byte(p.SequenceNumber >> 8)}, p.Payload[:2])
	}
}

func TestResponderAcrossWrapAround(t *testing.T) {
	h := newResponder(t, nackInfo())
	h.send(65534, 65535, 0, 1)
	h.wire.take()
	h.nackFor(65535, 0)
	assert.Equal(t, []uint16{65535, 0}, seqsOf(h.wire.take()))
}

func TestResponderIgnoresStreamsWithoutNACK(t *testing.T) {
	h := newResponder(t, &interceptor.StreamInfo{SSRC: ssrc})
	h.send(1, 2, 3)
	h.wire.take()
	h.nackFor(2)
	assert.Empty(t, h.wire.take())
}

func TestResponderUnbound(t *testing.T) {
	f, err := nack.NewResponder()
	require.NoError(t, err)
	i, err := f.NewInterceptor("")
	require.NoError(t, err)
	w := &wire{}
	writer := i.BindLocalStream(nackInfo(), w)
	_, err = writer.Write(&rtp.Header{SSRC: ssrc, SequenceNumber: 7}, []byte{7}, nil)
	require.NoError(t, err)
	i.UnbindLocalStream(nackInfo())
	reader := i.BindRTCPReader(&bytesReader{next: rtcpBytes(t, &rtcp.TransportLayerNack{MediaSSRC: ssrc,
		Nacks: rtcp.NackPairsFromSequenceNumbers([]uint16{7})})})
	_, _, err = reader.Read(make([]byte, 1500), nil)
	require.NoError(t, err)
	assert.Len(t, w.take(), 1, "only the original: the stream is gone")
	require.NoError(t, i.Close())
	require.NoError(t, i.Close(), "idempotent")
}
