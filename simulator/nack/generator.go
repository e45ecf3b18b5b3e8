package nack

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
)

const (
	// DefaultMaxRetries is how often one packet is asked for:
	// libwebrtc's kMaxNackRetries.
	DefaultMaxRetries = 10
	// maxMissing bounds the list of packets asked for (libwebrtc's
	// kMaxNackPackets); beyond it the oldest are given up, as a decoder
	// that far behind needs a key frame, not retransmissions.
	maxMissing = 1000
	// maxAge gives up packets this many sequence numbers behind the newest
	// (libwebrtc's kMaxPacketAge).
	maxAge = 10000
	// fixedHeaderSize is the RTP fixed header's length.
	fixedHeaderSize = 12
	// checkInterval is how often repeated requests are considered, at most
	// (libwebrtc's process interval); a new gap is asked for at once.
	checkInterval = 20 * time.Millisecond
)

// GeneratorOption configures a Generator; it returns an error for a bad
// value.
type GeneratorOption func(*Generator) error

// WithMaxRetries sets how many NACKs one lost packet gets at most.
func WithMaxRetries(n int) GeneratorOption {
	return func(g *Generator) error {
		if n < 1 || n > 255 {
			return fmt.Errorf("nack: max retries %d: want 1-255", n)
		}
		g.maxRetries = n
		return nil
	}
}

// WithGeneratorNow sets the Generator's clock.
func WithGeneratorNow(now func() time.Time) GeneratorOption {
	return func(g *Generator) error {
		if now == nil {
			return fmt.Errorf("nack: nil clock")
		}
		g.now = now
		return nil
	}
}

// WithSenderSSRC sets the SSRC NACKs are sent from; by default a random
// one, as an RTCP sender without media picks.
func WithSenderSSRC(ssrc uint32) GeneratorOption {
	return func(g *Generator) error {
		g.senderSSRC = ssrc
		return nil
	}
}

// GeneratorFactory builds one Generator per PeerConnection.
type GeneratorFactory struct {
	opts []GeneratorOption
}

// NewGenerator returns a factory whose Generators take opts.
func NewGenerator(opts ...GeneratorOption) (*GeneratorFactory, error) {
	return &GeneratorFactory{opts: opts}, nil
}

// NewInterceptor builds the Generator of one PeerConnection.
func (f *GeneratorFactory) NewInterceptor(_ string) (interceptor.Interceptor, error) {
	g := &Generator{
		maxRetries: DefaultMaxRetries,
		now:        time.Now,
		senderSSRC: rand.Uint32(), //nolint:gosec // an SSRC, not a secret
	}
	for _, opt := range f.opts {
		if err := opt(g); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Generator asks the sender for the packets of its NACK-enabled incoming
// streams that did not arrive.
type Generator struct {
	interceptor.NoOp

	maxRetries int
	now        func() time.Time
	senderSSRC uint32
	rtt        rttTracker

	mu     sync.Mutex
	writer interceptor.RTCPWriter
}

// BindRTCPWriter keeps the connection's RTCP writer for the NACKs.
func (g *Generator) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	g.mu.Lock()
	g.writer = writer
	g.mu.Unlock()
	return writer
}

// BindRTCPReader reads the round trip from incoming reception reports.
func (g *Generator) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	return rtcpReader(reader, &g.rtt, g.now, nil)
}

// BindRemoteStream watches the sequence numbers of a NACK-enabled stream
// and asks for what is missing; other streams pass untouched.
func (g *Generator) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	if !supportsNACK(info) {
		return reader
	}
	s := &requester{ssrc: info.SSRC, maxRetries: g.maxRetries}
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		// The sequence number is all a generator needs: bytes 2-3 of the
		// fixed header (RFC 3550 section 5.1), read without parsing the
		// rest or touching the attributes.
		if n < fixedHeaderSize {
			return 0, nil, fmt.Errorf("nack: RTP packet of %d bytes: shorter than its fixed header", n)
		}
		seq := binary.BigEndian.Uint16(b[2:4])
		if ask := s.received(seq, g.now(), g.rtt.get()); len(ask) > 0 {
			g.send(s.ssrc, ask)
		}
		return n, attr, nil
	})
}

// send writes one NACK for seqs. A failed write means the connection is
// closing; the packets are asked for again after a round trip if it is not.
func (g *Generator) send(ssrc uint32, seqs []uint16) {
	g.mu.Lock()
	w := g.writer
	g.mu.Unlock()
	if w == nil {
		return
	}
	_, _ = w.Write([]rtcp.Packet{&rtcp.TransportLayerNack{
		SenderSSRC: g.senderSSRC, MediaSSRC: ssrc, Nacks: rtcp.NackPairsFromSequenceNumbers(seqs),
	}}, nil)
}

// missingPacket is one packet being asked for.
type missingPacket struct {
	seq     uint16
	asked   time.Time // zero until the first NACK
	retries int
}

// requester is the NACK state of one incoming stream. Only the stream's
// reader calls it, one packet at a time; the mutex keeps it honest under
// a reader that hands packets between goroutines.
type requester struct {
	ssrc       uint32
	maxRetries int

	mu        sync.Mutex
	started   bool
	highest   uint16
	missing   []missingPacket // oldest first
	lastCheck time.Time
	ask       []uint16 // reused between calls
}

// received records seq, arrived at now, and returns the sequence numbers
// to ask for now: new gaps at once, earlier ones once rtt has passed since
// they were last asked for. The slice is reused by the next call.
func (r *requester) received(seq uint16, now time.Time, rtt time.Duration) []uint16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.started {
		r.started, r.highest = true, seq
		return nil
	}
	newGap := false
	switch d := seq - r.highest; {
	case d == 0:
		return nil // a duplicate
	case d < 0x8000: // newer than anything so far
		first := r.highest + 1
		if d-1 > maxMissing {
			first = seq - maxMissing
		}
		for s := first; s != seq; s++ {
			r.missing = append(r.missing, missingPacket{seq: s})
			newGap = true
		}
		r.highest = seq
	default: // older: a retransmission or a late packet
		r.remove(seq)
	}
	r.trim()
	if !newGap && now.Sub(r.lastCheck) < checkInterval {
		return nil
	}
	r.lastCheck = now
	r.ask = r.ask[:0]
	kept := r.missing[:0]
	for _, m := range r.missing {
		if m.retries >= r.maxRetries {
			if now.Sub(m.asked) < rtt {
				kept = append(kept, m) // its last retransmission may still come
			}
			continue
		}
		if m.retries == 0 || now.Sub(m.asked) >= rtt {
			m.asked = now
			m.retries++
			r.ask = append(r.ask, m.seq)
		}
		kept = append(kept, m)
	}
	r.missing = kept
	return r.ask
}

// remove forgets seq: it arrived.
func (r *requester) remove(seq uint16) {
	for i, m := range r.missing {
		if m.seq == seq {
			r.missing = append(r.missing[:i], r.missing[i+1:]...)
			return
		}
	}
}

// trim gives up the oldest packets beyond maxMissing or maxAge.
func (r *requester) trim() {
	drop := 0
	if over := len(r.missing) - maxMissing; over > 0 {
		drop = over
	}
	for drop < len(r.missing) && r.highest-r.missing[drop].seq > maxAge {
		drop++
	}
	if drop > 0 {
		r.missing = append(r.missing[:0], r.missing[drop:]...)
	}
}
