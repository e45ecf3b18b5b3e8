package transportcc_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator/transportcc"
)

const extID = 5

// manualTicker ticks when the test says so.
type manualTicker struct{ c chan time.Time }

func (m manualTicker) C() <-chan time.Time { return m.c }
func (m manualTicker) Stop()               {}

// rtcpSink records what the interceptor writes.
type rtcpSink struct {
	mu   sync.Mutex
	pkts []rtcp.Packet
	got  chan struct{}
}

func (s *rtcpSink) Write(pkts []rtcp.Packet, _ interceptor.Attributes) (int, error) {
	s.mu.Lock()
	s.pkts = append(s.pkts, pkts...)
	s.mu.Unlock()
	s.got <- struct{}{}
	return 0, nil
}

// packet marshals an RTP packet, with a transport-wide sequence number when
// twcc is non-negative.
func packet(tb testing.TB, seq uint16, twcc int) []byte {
	tb.Helper()
	p := rtp.Packet{Header: rtp.Header{Version: 2, SSRC: 1234, SequenceNumber: seq}, Payload: []byte{1, 2, 3}}
	if twcc >= 0 {
		ext, err := rtp.TransportCCExtension{TransportSequence: uint16(twcc)}.Marshal()
		require.NoError(tb, err)
		require.NoError(tb, p.SetExtension(extID, ext))
	}
	b, err := p.Marshal()
	require.NoError(tb, err)
	return b
}

// feed returns a reader that yields the packets in turn.
func feed(pkts [][]byte) interceptor.RTPReader {
	var k int
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n := copy(b, pkts[k])
		k++
		return n, a, nil
	})
}

func TestFeedback(t *testing.T) {
	withExt := []interceptor.RTPHeaderExtension{{URI: sdp.TransportCCURI, ID: extID}}
	for _, tc := range []struct {
		name       string
		exts       []interceptor.RTPHeaderExtension
		twcc       []int // transport sequence per packet; -1 none
		attributes bool  // the inner reader hands attributes on
		wantBase   uint16
		wantCount  uint16
		wantRecv   int
	}{
		{name: "all arrive", exts: withExt, twcc: []int{10, 11, 12, 13}, wantBase: 10, wantCount: 4, wantRecv: 4},
		{name: "gaps are reported lost", exts: withExt, twcc: []int{10, 12, 15}, wantBase: 10, wantCount: 6, wantRecv: 3},
		{name: "header from attributes", exts: withExt, twcc: []int{7, 8}, attributes: true, wantBase: 7, wantCount: 2, wantRecv: 2},
		{name: "wrap around", exts: withExt, twcc: []int{65534, 65535, 0}, wantBase: 65534, wantCount: 3, wantRecv: 3},
		{name: "stream without the extension", exts: nil, twcc: []int{-1, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			ticks := make(chan time.Time)
			now := time.Unix(1000, 0)
			f, err := transportcc.NewInterceptor(
				transportcc.WithTicker(func(time.Duration) transportcc.Ticker { return manualTicker{ticks} }),
				transportcc.WithNow(func() time.Time { now = now.Add(time.Millisecond); return now }),
				transportcc.WithSenderSSRC(99))
			require.NoError(t, err)
			i, err := f.NewInterceptor("pc")
			require.NoError(t, err)
			sink := &rtcpSink{got: make(chan struct{}, 4)}
			i.BindRTCPWriter(sink)

			var pkts [][]byte
			for k, seq := range tc.twcc {
				pkts = append(pkts, packet(t, uint16(100+k), seq))
			}
			r := i.BindRemoteStream(&interceptor.StreamInfo{SSRC: 1234, RTPHeaderExtensions: tc.exts}, feed(pkts))
			buf := make([]byte, 1500)
			for range pkts {
				var a interceptor.Attributes
				if tc.attributes {
					a = interceptor.Attributes{}
				}
				n, _, err := r.Read(buf, a)
				require.NoError(t, err)
				assert.Positive(t, n)
			}
			ticks <- time.Now()
			if tc.wantCount == 0 {
				// A tick with nothing recorded writes nothing; the next
				// tick proves the loop has passed the first.
				ticks <- time.Now()
				sink.mu.Lock()
				assert.Empty(t, sink.pkts)
				sink.mu.Unlock()
			} else {
				<-sink.got
				sink.mu.Lock()
				pkts := append([]rtcp.Packet(nil), sink.pkts...)
				sink.mu.Unlock()
				require.Len(t, pkts, 1)
				fb, ok := pkts[0].(*rtcp.TransportLayerCC)
				require.True(t, ok, "feedback is %T", pkts[0])
				assert.Equal(t, uint32(99), fb.SenderSSRC)
				assert.Equal(t, uint32(1234), fb.MediaSSRC)
				assert.Equal(t, tc.wantBase, fb.BaseSequenceNumber)
				assert.Equal(t, tc.wantCount, fb.PacketStatusCount)
				assert.Len(t, fb.RecvDeltas, tc.wantRecv)
			}
			require.NoError(t, i.Close())
			require.NoError(t, i.Close(), "Close is idempotent")
		})
	}
}

func TestOptionsRejectBadValues(t *testing.T) {
	for name, opt := range map[string]transportcc.Option{
		"zero interval": transportcc.WithInterval(0),
		"nil clock":     transportcc.WithNow(nil),
		"nil ticker":    transportcc.WithTicker(nil),
	} {
		t.Run(name, func(t *testing.T) {
			f, err := transportcc.NewInterceptor(opt)
			require.NoError(t, err)
			_, err = f.NewInterceptor("pc")
			assert.ErrorContains(t, err, "transportcc")
		})
	}
}
