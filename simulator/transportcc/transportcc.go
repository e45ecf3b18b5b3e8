// Package transportcc is the receiving side of transport-wide congestion
// control: an interceptor that records the arrival of every RTP packet
// carrying a transport-wide sequence number and reports them to the sender
// in RTCP transport-layer feedback (draft-holmer-rmcat-transport-wide-cc-
// extensions-01), which the sender's congestion controller (pion's gcc)
// reads.
//
// It does what pion/interceptor/pkg/twcc's SenderInterceptor does, with the
// same Recorder, but records under a mutex on the reading goroutine instead
// of handing every packet over an unbuffered channel to its feedback loop:
// that hand-over woke a second goroutine for each packet received, one of
// the larger per-packet costs of a simulated call (docs/engine.md).
package transportcc

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
)

// DefaultInterval is how often feedback is sent: libwebrtc's and pion's 100 ms.
const DefaultInterval = 100 * time.Millisecond

// Ticker is what the feedback loop waits on; tests inject their own.
type Ticker interface {
	C() <-chan time.Time
	Stop()
}

// Option configures an Interceptor; it returns an error for a bad value.
type Option func(*Interceptor) error

// WithInterval sets how often feedback is sent.
func WithInterval(d time.Duration) Option {
	return func(i *Interceptor) error {
		if d <= 0 {
			return fmt.Errorf("transportcc: interval %v: must be positive", d)
		}
		i.interval = d
		return nil
	}
}

// WithNow sets the clock that stamps arrivals.
func WithNow(now func() time.Time) Option {
	return func(i *Interceptor) error {
		if now == nil {
			return fmt.Errorf("transportcc: nil clock")
		}
		i.now = now
		return nil
	}
}

// WithTicker sets the ticker factory of the feedback loop.
func WithTicker(newTicker func(time.Duration) Ticker) Option {
	return func(i *Interceptor) error {
		if newTicker == nil {
			return fmt.Errorf("transportcc: nil ticker factory")
		}
		i.newTicker = newTicker
		return nil
	}
}

// WithSenderSSRC sets the SSRC the feedback is sent from; by default a
// random one, as RTCP senders without media pick.
func WithSenderSSRC(ssrc uint32) Option {
	return func(i *Interceptor) error {
		i.senderSSRC = ssrc
		return nil
	}
}

// InterceptorFactory builds one Interceptor per PeerConnection.
type InterceptorFactory struct {
	opts []Option
}

// NewInterceptor returns a factory whose interceptors take opts.
func NewInterceptor(opts ...Option) (*InterceptorFactory, error) {
	return &InterceptorFactory{opts: opts}, nil
}

// NewInterceptor builds the interceptor of one PeerConnection.
func (f *InterceptorFactory) NewInterceptor(_ string) (interceptor.Interceptor, error) {
	i := &Interceptor{
		interval:   DefaultInterval,
		now:        time.Now,
		newTicker:  func(d time.Duration) Ticker { return timeTicker{time.NewTicker(d)} },
		senderSSRC: rand.Uint32(), //nolint:gosec // an SSRC, not a secret
		done:       make(chan struct{}),
	}
	for _, opt := range f.opts {
		if err := opt(i); err != nil {
			return nil, err
		}
	}
	i.start = i.now()
	i.recorder = twcc.NewRecorder(i.senderSSRC)
	return i, nil
}

// Interceptor records arrivals and sends transport-wide feedback.
type Interceptor struct {
	interceptor.NoOp

	interval   time.Duration
	now        func() time.Time
	newTicker  func(time.Duration) Ticker
	senderSSRC uint32
	start      time.Time

	mu       sync.Mutex
	recorder *twcc.Recorder
	bound    bool

	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// BindRTCPWriter starts the feedback loop on the connection's RTCP writer.
func (i *Interceptor) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.bound || i.closed() {
		return writer
	}
	i.bound = true
	i.wg.Add(1)
	go i.loop(writer)
	return writer
}

// BindRemoteStream records each packet of a stream that negotiated the
// transport-wide sequence number extension; other streams pass untouched.
func (i *Interceptor) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	var id uint8
	for _, e := range info.RTPHeaderExtensions {
		if e.URI == sdp.TransportCCURI {
			id = uint8(e.ID) //nolint:gosec // extension IDs are 1-14
			break
		}
	}
	if id == 0 {
		return reader
	}
	ssrc := info.SSRC
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		// Reuse the header an inner interceptor parsed; without attributes,
		// parse into a local header rather than allocate a map per packet.
		var hdr *rtp.Header
		if attr != nil {
			if hdr, err = attr.GetRTPHeader(b[:n]); err != nil {
				return 0, nil, err
			}
		} else {
			var h rtp.Header
			if _, err = h.Unmarshal(b[:n]); err != nil {
				return 0, nil, err
			}
			hdr = &h
		}
		if ext := hdr.GetExtension(id); ext != nil {
			var tcc rtp.TransportCCExtension
			if err := tcc.Unmarshal(ext); err != nil {
				return 0, nil, err
			}
			arrival := i.now().Sub(i.start).Microseconds()
			i.mu.Lock()
			i.recorder.Record(ssrc, tcc.TransportSequence, arrival)
			i.mu.Unlock()
		}
		return n, attr, nil
	})
}

// Close stops the feedback loop and waits for it; it is idempotent.
func (i *Interceptor) Close() error {
	i.closeOnce.Do(func() {
		i.mu.Lock()
		close(i.done)
		i.mu.Unlock()
	})
	i.wg.Wait()
	return nil
}

func (i *Interceptor) closed() bool {
	select {
	case <-i.done:
		return true
	default:
		return false
	}
}

// loop sends what arrived since the last tick.
func (i *Interceptor) loop(writer interceptor.RTCPWriter) {
	defer i.wg.Done()
	t := i.newTicker(i.interval)
	defer t.Stop()
	for {
		select {
		case <-i.done:
			return
		case <-t.C():
		}
		i.mu.Lock()
		pkts := i.recorder.BuildFeedbackPacket()
		i.mu.Unlock()
		if len(pkts) == 0 {
			continue
		}
		// A failed write means the connection is closing; the next tick
		// or Close ends the loop, and the sender's estimator only misses
		// one report, as it would on a lossy uplink.
		_, _ = writer.Write(pkts, nil)
	}
}

type timeTicker struct{ t *time.Ticker }

func (t timeTicker) C() <-chan time.Time { return t.t.C }
func (t timeTicker) Stop()               { t.t.Stop() }
