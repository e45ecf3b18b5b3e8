package capture_test

import (
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/capture"
)

// BenchmarkRecordSentRTP is the per-packet cost the capture adds to a
// sender: a full-size video packet into a ring that is already full.
func BenchmarkRecordSentRTP(b *testing.B) {
	clock := newFakeClock()
	_, ci := newCapture(b, clock, capture.WithMaxPackets(1000))
	w := ci.BindLocalStream(&interceptor.StreamInfo{ClockRate: 90000},
		interceptor.RTPWriterFunc(func(_ *rtp.Header, p []byte, _ interceptor.Attributes) (int, error) { return len(p), nil }))
	h := rtp.Header{Version: 2, PayloadType: 96, SSRC: 1}
	payload := make([]byte, 1150)
	b.ReportAllocs()
	for k := 0; b.Loop(); k++ {
		h.SequenceNumber = uint16(k)
		clock.Set(clock.Now().Add(time.Millisecond))
		_, err := w.Write(&h, payload, nil)
		require.NoError(b, err)
	}
}

// BenchmarkAnalyze is the cost of one analysis over a minute of a call's
// received video and audio (the default ring, full).
func BenchmarkAnalyze(b *testing.B) {
	clock := newFakeClock()
	_, ci := newCapture(b, clock)
	receive(b, clock, ci, 90000, 1000, regular(7000, 1, 8*time.Millisecond, 90000, 1, 96))
	receive(b, clock, ci, 48000, 100, regular(3000, 1, 20*time.Millisecond, 48000, 2, 111))
	pkts := ci.Packets()
	b.ReportAllocs()
	for b.Loop() {
		if len(capture.Analyze(pkts)) != 2 {
			b.Fatal("want two streams")
		}
	}
}
