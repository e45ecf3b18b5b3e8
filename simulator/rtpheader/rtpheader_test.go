package rtpheader_test

import (
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/rtpheader"
)

// queue yields the packets in turn, with the attributes given.
type queue struct {
	pkts [][]byte
	attr interceptor.Attributes
}

func (q *queue) Read(b []byte, _ interceptor.Attributes) (int, interceptor.Attributes, error) {
	n := copy(b, q.pkts[0])
	q.pkts = q.pkts[1:]
	return n, q.attr, nil
}

func marshal(tb testing.TB, p rtp.Packet) []byte {
	tb.Helper()
	b, err := p.Marshal()
	require.NoError(tb, err)
	return b
}

func bind(tb testing.TB, q *queue) interceptor.RTPReader {
	tb.Helper()
	f, err := rtpheader.NewInterceptor()
	require.NoError(tb, err)
	i, err := f.NewInterceptor("")
	require.NoError(tb, err)
	return i.BindRemoteStream(&interceptor.StreamInfo{SSRC: 1}, q)
}

func TestEachPacketGetsItsOwnHeader(t *testing.T) {
	withExt := rtp.Packet{Header: rtp.Header{Version: 2, SSRC: 1, SequenceNumber: 2, Timestamp: 960, Marker: true}, Payload: []byte{9}}
	require.NoError(t, withExt.SetExtension(5, []byte{0xAA, 0xBB}))
	pkts := []rtp.Packet{
		{Header: rtp.Header{Version: 2, SSRC: 1, SequenceNumber: 1, Timestamp: 0}, Payload: []byte{1, 2}},
		withExt,
		{Header: rtp.Header{Version: 2, SSRC: 1, SequenceNumber: 3, Timestamp: 1920, CSRC: []uint32{7}}, Payload: []byte{3}},
	}
	q := &queue{}
	for _, p := range pkts {
		q.pkts = append(q.pkts, marshal(t, p))
	}
	r := bind(t, q)
	buf := make([]byte, 1500)
	for _, want := range pkts {
		n, attr, err := r.Read(buf, nil)
		require.NoError(t, err)
		require.NotNil(t, attr)
		hdr, err := attr.GetRTPHeader(buf[:n])
		require.NoError(t, err)
		assert.Equal(t, want.SequenceNumber, hdr.SequenceNumber)
		assert.Equal(t, want.Timestamp, hdr.Timestamp)
		assert.Equal(t, want.Marker, hdr.Marker)
		assert.Equal(t, want.GetExtension(5), hdr.GetExtension(5), "extensions of this packet only")
		assert.Len(t, hdr.CSRC, len(want.CSRC))
	}
}

func TestAttributesFromBelowAreKept(t *testing.T) {
	own := interceptor.Attributes{"k": "v"}
	q := &queue{attr: own, pkts: [][]byte{marshal(t, rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: 4}})}}
	_, attr, err := bind(t, q).Read(make([]byte, 1500), nil)
	require.NoError(t, err)
	assert.Equal(t, own, attr)
}

func TestBadPacketIsAnError(t *testing.T) {
	q := &queue{pkts: [][]byte{{0x80}}}
	_, _, err := bind(t, q).Read(make([]byte, 1500), nil)
	assert.Error(t, err)
}

// same yields one packet forever.
type same []byte

func (s same) Read(b []byte, _ interceptor.Attributes) (int, interceptor.Attributes, error) {
	return copy(b, s), nil, nil
}

// BenchmarkRead shows the point: no allocation per packet.
func BenchmarkRead(b *testing.B) {
	pkt := marshal(b, rtp.Packet{Header: rtp.Header{Version: 2, SSRC: 1, SequenceNumber: 1}, Payload: make([]byte, 160)})
	f, err := rtpheader.NewInterceptor()
	require.NoError(b, err)
	i, err := f.NewInterceptor("")
	require.NoError(b, err)
	r := i.BindRemoteStream(&interceptor.StreamInfo{SSRC: 1}, same(pkt))
	buf := make([]byte, 1500)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := r.Read(buf, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAGoodPacketAfterABadOne(t *testing.T) {
	q := &queue{pkts: [][]byte{
		marshal(t, rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: 1}}),
		{0x80},
		marshal(t, rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: 3}}),
	}}
	r := bind(t, q)
	buf := make([]byte, 1500)
	_, _, err := r.Read(buf, nil)
	require.NoError(t, err)
	_, _, err = r.Read(buf, nil)
	require.Error(t, err)
	n, attr, err := r.Read(buf, nil)
	require.NoError(t, err)
	hdr, err := attr.GetRTPHeader(buf[:n])
	require.NoError(t, err)
	assert.Equal(t, uint16(3), hdr.SequenceNumber)
}
