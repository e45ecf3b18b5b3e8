package capture

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// Defaults of the bounds: about a minute of a 720p call (~120 video, 50
// audio and a few RTCP packets a second), at most ~12 MB of packets per peer.
const (
	DefaultMaxPackets = 10_000
	DefaultMaxAge     = time.Minute
)

// InterceptorFactory creates the capture Interceptor of each PeerConnection
// and keeps them, so a capture can be exported after the call closed. It
// implements interceptor.Factory.
type InterceptorFactory struct {
	now        func() time.Time
	maxPackets int
	maxAge     time.Duration
	local      uint16
	remote     uint16

	mu           sync.Mutex
	interceptors []*Interceptor
}

var (
	_ interceptor.Factory     = (*InterceptorFactory)(nil)
	_ interceptor.Interceptor = (*Interceptor)(nil)
)

// Option configures an InterceptorFactory.
type Option func(*InterceptorFactory) error

// WithNow replaces the wall clock that timestamps packets, for tests.
func WithNow(now func() time.Time) Option {
	return func(f *InterceptorFactory) error {
		if now == nil {
			return errors.New("capture: nil clock")
		}
		f.now = now
		return nil
	}
}

// WithMaxPackets bounds the packets kept per PeerConnection (RTP and RTCP of
// both directions together); the oldest is overwritten first.
func WithMaxPackets(n int) Option {
	return func(f *InterceptorFactory) error {
		if n < 1 {
			return fmt.Errorf("capture: max packets %d must be at least 1", n)
		}
		f.maxPackets = n
		return nil
	}
}

// WithMaxAge drops packets older than d; 0 keeps them until the count bound
// pushes them out.
func WithMaxAge(d time.Duration) Option {
	return func(f *InterceptorFactory) error {
		if d < 0 {
			return fmt.Errorf("capture: max age %v is negative", d)
		}
		f.maxAge = d
		return nil
	}
}

// WithPorts sets the synthetic UDP ports of the recording peer (local) and
// its remote; the default is the client's view, ClientPort to ServerPort.
// Give the server peer's capture WithPorts(ServerPort, ClientPort).
func WithPorts(local, remote uint16) Option {
	return func(f *InterceptorFactory) error {
		if local == 0 || remote == 0 || local == remote {
			return fmt.Errorf("capture: ports %d and %d must be distinct and non-zero", local, remote)
		}
		f.local, f.remote = local, remote
		return nil
	}
}

// NewInterceptor builds the factory that the PeerConnection's registry
// calls; the name follows pion/interceptor's constructors.
func NewInterceptor(opts ...Option) (*InterceptorFactory, error) {
	f := &InterceptorFactory{
		now: time.Now, maxPackets: DefaultMaxPackets, maxAge: DefaultMaxAge,
		local: ClientPort, remote: ServerPort,
	}
	for _, opt := range opts {
		if err := opt(f); err != nil {
			return nil, fmt.Errorf("new capture factory: %w", err)
		}
	}
	return f, nil
}

// NewInterceptor creates the capture of one PeerConnection.
func (f *InterceptorFactory) NewInterceptor(_ string) (interceptor.Interceptor, error) {
	i := &Interceptor{now: f.now, local: f.local, remote: f.remote, ring: newRing(f.maxPackets, f.maxAge)}
	f.mu.Lock()
	f.interceptors = append(f.interceptors, i)
	f.mu.Unlock()
	return i, nil
}

// Packets returns what every Interceptor of the factory holds, oldest first.
// A PeerConnection that was renegotiated into a new one keeps its packets.
func (f *InterceptorFactory) Packets() []Packet {
	f.mu.Lock()
	is := append([]*Interceptor(nil), f.interceptors...)
	f.mu.Unlock()
	var out []Packet
	for _, i := range is {
		out = append(out, i.Packets()...)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Time.Before(out[b].Time) })
	return out
}

// Stats sums the counters of every Interceptor the factory created.
func (f *InterceptorFactory) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	var s Stats
	for _, i := range f.interceptors {
		is := i.Stats()
		s.Recorded += is.Recorded
		s.Evicted += is.Evicted
		s.Held += is.Held
	}
	return s
}

// Stats counts what a capture did. Recorded = Evicted + Held.
type Stats struct {
	// Recorded counts every packet seen.
	Recorded uint64
	// Evicted counts packets pushed out by the count or age bound.
	Evicted uint64
	// Held is the number of packets an export would contain now.
	Held int
}

// Interceptor records what one PeerConnection sends and receives. It starts
// no goroutine: packets are copied inline on the caller's goroutine.
type Interceptor struct {
	interceptor.NoOp

	now           func() time.Time
	local, remote uint16

	mu     sync.Mutex
	ring   *ring
	closed bool
}

// Packets returns the held packets, oldest first, as copies.
func (i *Interceptor) Packets() []Packet {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.ring.snapshot(i.now())
}

// Stats returns this capture's counters.
func (i *Interceptor) Stats() Stats {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.ring.expire(i.now())
	return Stats{Recorded: i.ring.recorded, Evicted: i.ring.evicted, Held: i.ring.n}
}

// Close stops recording; what was recorded stays readable, since the capture
// matters most after a failed call. Close is idempotent.
func (i *Interceptor) Close() error {
	i.mu.Lock()
	i.closed = true
	i.mu.Unlock()
	return nil
}

// record stores one packet; fill writes its fields into the ring's slot.
func (i *Interceptor) record(dir Direction, fill func(p *Packet)) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return
	}
	now := i.now()
	p := i.ring.slot(now)
	data := p.Data
	*p = Packet{Time: now, Direction: dir, SrcPort: i.local, DstPort: i.remote, Data: data}
	if dir == Received {
		p.SrcPort, p.DstPort = i.remote, i.local
	}
	fill(p)
}

func setRTP(p *Packet, h *rtp.Header, clockRate uint32) {
	p.Kind = RTP
	p.SSRC, p.SequenceNumber, p.Timestamp = h.SSRC, h.SequenceNumber, h.Timestamp
	p.PayloadType, p.Marker, p.ClockRate = h.PayloadType, h.Marker, clockRate
}

// BindLocalStream records the RTP the application sends on one stream,
// retransmissions included, before the interceptors nearer the wire.
func (i *Interceptor) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	rate := info.ClockRate
	return interceptor.RTPWriterFunc(func(h *rtp.Header, payload []byte, a interceptor.Attributes) (int, error) {
		i.record(Sent, func(p *Packet) {
			size := h.MarshalSize()
			p.Data = grow(p.Data, size+len(payload))
			if _, err := h.MarshalTo(p.Data); err != nil {
				// A header the next writer could not send either: keep
				// what is known, the payload alone would not parse.
				p.Data = p.Data[:0]
			} else {
				copy(p.Data[size:], payload)
			}
			setRTP(p, h, rate)
		})
		return writer.Write(h, payload, a)
	})
}

// BindRemoteStream records the RTP the application reads on one stream.
func (i *Interceptor) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	rate := info.ClockRate
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, a, err := reader.Read(b, a)
		if err != nil {
			return n, a, err
		}
		if a == nil {
			a = interceptor.Attributes{}
		}
		h, err := a.GetRTPHeader(b[:n])
		if err != nil {
			return n, a, err
		}
		i.record(Received, func(p *Packet) {
			p.Data = append(p.Data, b[:n]...)
			setRTP(p, h, rate)
		})
		return n, a, nil
	})
}

// BindRTCPWriter records the RTCP the PeerConnection sends, one compound
// datagram per batch.
func (i *Interceptor) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	return interceptor.RTCPWriterFunc(func(pkts []rtcp.Packet, a interceptor.Attributes) (int, error) {
		if raw, err := rtcp.Marshal(pkts); err == nil {
			i.record(Sent, func(p *Packet) {
				p.Kind = RTCP
				p.Data = append(p.Data, raw...)
			})
		}
		return writer.Write(pkts, a)
	})
}

// BindRTCPReader records the RTCP the PeerConnection receives.
func (i *Interceptor) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, a, err := reader.Read(b, a)
		if err != nil {
			return n, a, err
		}
		i.record(Received, func(p *Packet) {
			p.Kind = RTCP
			p.Data = append(p.Data, b[:n]...)
		})
		return n, a, nil
	})
}

// grow returns b resized to n, reusing its capacity when it suffices.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]byte, n)
}
