package nack

import (
	"fmt"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

const (
	// DefaultMinKeep is how long a sent packet is kept at least, whatever
	// the round trip: libwebrtc's kMinPacketDurationMs.
	DefaultMinKeep = time.Second
	// maxHistory bounds the packets kept per stream, at 1080p's ~250
	// packets a second several seconds' worth.
	maxHistory = 2048
)

// ResponderOption configures a Responder; it returns an error for a bad
// value.
type ResponderOption func(*Responder) error

// WithMinKeep sets how long sent packets are kept at least; they are kept
// for three round trips when that is longer.
func WithMinKeep(d time.Duration) ResponderOption {
	return func(r *Responder) error {
		if d <= 0 {
			return fmt.Errorf("nack: keep %v: must be positive", d)
		}
		r.minKeep = d
		return nil
	}
}

// WithResponderNow sets the Responder's clock.
func WithResponderNow(now func() time.Time) ResponderOption {
	return func(r *Responder) error {
		if now == nil {
			return fmt.Errorf("nack: nil clock")
		}
		r.now = now
		return nil
	}
}

// ResponderFactory builds one Responder per PeerConnection.
type ResponderFactory struct {
	opts []ResponderOption
}

// NewResponder returns a factory whose Responders take opts.
func NewResponder(opts ...ResponderOption) (*ResponderFactory, error) {
	return &ResponderFactory{opts: opts}, nil
}

// NewInterceptor builds the Responder of one PeerConnection.
func (f *ResponderFactory) NewInterceptor(_ string) (interceptor.Interceptor, error) {
	r := &Responder{minKeep: DefaultMinKeep, now: time.Now, streams: map[uint32]*history{}}
	for _, opt := range f.opts {
		if err := opt(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Responder retransmits the packets of its NACK-enabled outgoing streams
// that the receiver asks for.
type Responder struct {
	interceptor.NoOp

	minKeep time.Duration
	now     func() time.Time
	rtt     rttTracker

	mu      sync.Mutex
	streams map[uint32]*history
}

// BindRTCPReader answers the NACKs among incoming RTCP and reads the
// round trip from its reception reports.
func (r *Responder) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	return rtcpReader(reader, &r.rtt, r.now, r.answer)
}

// BindLocalStream keeps what a NACK-enabled stream sends; other streams
// pass untouched.
func (r *Responder) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	if !supportsNACK(info) {
		return writer
	}
	h := &history{writer: writer}
	r.mu.Lock()
	r.streams[info.SSRC] = h
	r.mu.Unlock()
	ssrc := info.SSRC
	return interceptor.RTPWriterFunc(func(hdr *rtp.Header, payload []byte, a interceptor.Attributes) (int, error) {
		if hdr.SSRC == ssrc {
			if err := h.add(hdr, payload, r.now(), r.keep()); err != nil {
				return 0, err
			}
		}
		return writer.Write(hdr, payload, a)
	})
}

// UnbindLocalStream forgets a stream's packets.
func (r *Responder) UnbindLocalStream(info *interceptor.StreamInfo) {
	r.mu.Lock()
	delete(r.streams, info.SSRC)
	r.mu.Unlock()
}

// Close forgets every stream's packets; it is idempotent.
func (r *Responder) Close() error {
	r.mu.Lock()
	r.streams = map[uint32]*history{}
	r.mu.Unlock()
	return nil
}

// keep is how long packets are kept now: max(minKeep, 3 RTT).
func (r *Responder) keep() time.Duration {
	return max(r.minKeep, 3*r.rtt.get())
}

// answer retransmits what the NACKs among pkts ask for.
func (r *Responder) answer(pkts []rtcp.Packet) {
	for _, p := range pkts {
		n, ok := p.(*rtcp.TransportLayerNack)
		if !ok {
			continue
		}
		r.mu.Lock()
		h := r.streams[n.MediaSSRC]
		r.mu.Unlock()
		if h == nil {
			continue
		}
		now, rtt := r.now(), r.rtt.get()
		for _, pair := range n.Nacks {
			pair.Range(func(seq uint16) bool {
				h.resend(seq, now, rtt)
				return true
			})
		}
	}
}

// sent is one packet kept for retransmission, marshalled into buf.
type sent struct {
	seq    uint16
	at     time.Time
	resent time.Time // zero until retransmitted
	buf    []byte
}

// history is what one stream sent lately, oldest first, in buffers reused
// once their packet is dropped.
type history struct {
	writer interceptor.RTPWriter

	mu      sync.Mutex
	packets []sent
	head    int // packets[:head] are dropped
	free    [][]byte
}

// add keeps a copy of the packet and drops those older than keep.
func (h *history) add(hdr *rtp.Header, payload []byte, now time.Time, keep time.Duration) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for h.head < len(h.packets) && (now.Sub(h.packets[h.head].at) > keep || len(h.packets)-h.head >= maxHistory) {
		h.free = append(h.free, h.packets[h.head].buf)
		h.packets[h.head] = sent{}
		h.head++
	}
	if h.head > 0 && h.head >= len(h.packets)/2 {
		n := copy(h.packets, h.packets[h.head:])
		clear(h.packets[n:])
		h.packets, h.head = h.packets[:n], 0
	}
	size := hdr.MarshalSize() + len(payload)
	var buf []byte
	if k := len(h.free); k > 0 {
		buf, h.free = h.free[k-1], h.free[:k-1]
	}
	if cap(buf) < size {
		buf = make([]byte, size, max(size, 1500)) // room for any packet of an Ethernet MTU
	}
	buf = buf[:size]
	n, err := hdr.MarshalTo(buf)
	if err != nil {
		h.free = append(h.free, buf)
		return fmt.Errorf("nack: keep packet %d: %w", hdr.SequenceNumber, err)
	}
	copy(buf[n:], payload)
	h.packets = append(h.packets, sent{seq: hdr.SequenceNumber, at: now, buf: buf})
	return nil
}

// find returns the index of seq among the kept packets, or -1. Packets are
// kept in sending order, so seq is usually where its distance from the
// oldest says.
func (h *history) find(seq uint16) int {
	if h.head == len(h.packets) {
		return -1
	}
	if i := h.head + int(seq-h.packets[h.head].seq); i < len(h.packets) && h.packets[i].seq == seq {
		return i
	}
	for i := h.head; i < len(h.packets); i++ {
		if h.packets[i].seq == seq {
			return i
		}
	}
	return -1
}

// resend retransmits seq if it is still kept and was not retransmitted
// within the last round trip (a second NACK sent before the first
// retransmission could arrive). The write happens under the lock, so the
// buffer cannot be reused meanwhile; writers below never block.
func (h *history) resend(seq uint16, now time.Time, rtt time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	i := h.find(seq)
	if i < 0 {
		return
	}
	p := &h.packets[i]
	if !p.resent.IsZero() && now.Sub(p.resent) < rtt {
		return
	}
	var hdr rtp.Header
	n, err := hdr.Unmarshal(p.buf)
	if err != nil {
		return // it was marshalled by add; cannot happen
	}
	p.resent = now
	// A failed write means the connection is closing; the receiver asks
	// again after a round trip if it is not.
	_, _ = h.writer.Write(&hdr, p.buf[n:], nil)
}
