package impair

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// ErrClosed is returned for packets written after Close.
var ErrClosed = errors.New("impair: interceptor closed")

// Interceptor impairs what one PeerConnection sends. Packets that can go at
// once are written inline on the sender's goroutine; the others wait in a
// heap served by the factory's Scheduler, or without one by the
// Interceptor's own release goroutine, started with the first held packet.
type Interceptor struct {
	interceptor.NoOp
	clock Clock
	sched *Scheduler

	// schedIdx and schedAt are the Interceptor's place in the Scheduler's
	// heap (-1: not in it); the Scheduler's lock guards them.
	schedIdx int
	schedAt  time.Time
	// inflight counts a round writing this Interceptor's packets, so that
	// Close can wait for it; relBatch and relHdr are that round's buffers
	// (one round at a time: the release goroutine runs them in turn, and a
	// Scheduler takes the Interceptor off its heap while serving it).
	inflight sync.WaitGroup
	relBatch []held
	relHdr   rtp.Header

	mu    sync.Mutex
	link  *link
	stats Stats
	queue releaseQueue
	// seq orders packets with equal release times by arrival.
	seq uint64
	// releasing is set while the release goroutine writes a batch outside
	// the lock: an inline write then would overtake it.
	releasing bool
	// idle is set when the release goroutine has armed its timer for the
	// queue head and waits with no wake pending; a packet that becomes the
	// new head clears it. Tests in virtual time advance the clock only then.
	idle    bool
	started bool
	closed  bool
	free    [][]byte
	// seed and perMime derive one loss source per stream from its codec and
	// its rank among streams of that codec: both are the same on every run,
	// unlike SSRCs.
	seed    [2]uint64
	perMime map[string]uint64

	wake chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

func newInterceptor(c Config, clock Clock, sched *Scheduler, rng *rand.Rand) *Interceptor {
	return &Interceptor{
		clock:    clock,
		sched:    sched,
		schedIdx: -1,
		seed:     [2]uint64{rng.Uint64(), rng.Uint64()},
		perMime:  map[string]uint64{},
		link:     newLink(c, rng),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
}

// BindLocalStream impairs the RTP packets of one outbound stream,
// retransmissions included.
func (i *Interceptor) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	rng := i.streamRand(info)
	return interceptor.RTPWriterFunc(func(h *rtp.Header, payload []byte, a interceptor.Attributes) (int, error) {
		return i.writeRTP(writer, h, payload, a, rng)
	})
}

// BindRTCPWriter impairs outbound RTCP: each batch is one datagram.
func (i *Interceptor) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	return interceptor.RTCPWriterFunc(func(pkts []rtcp.Packet, a interceptor.Attributes) (int, error) {
		return i.writeRTCP(writer, pkts, a)
	})
}

// Stats returns this interceptor's counters.
func (i *Interceptor) Stats() Stats {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.stats
}

// Close stops the release goroutine and waits for it. Packets still queued
// are dropped and counted in LostClose. Close is idempotent.
func (i *Interceptor) Close() error {
	i.mu.Lock()
	if i.closed {
		i.mu.Unlock()
		return nil
	}
	i.closed = true
	for _, it := range i.queue {
		i.countLost(&i.stats.LostClose, it.rtpW != nil)
	}
	i.queue, i.free = nil, nil // the factory keeps closed interceptors for their stats
	close(i.done)
	i.mu.Unlock()
	if i.sched != nil {
		i.sched.remove(i)
	}
	i.inflight.Wait()
	i.wg.Wait()
	return nil
}

func (i *Interceptor) setConfig(c Config) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.link.setConfig(c)
}

func (i *Interceptor) writeRTP(w interceptor.RTPWriter, h *rtp.Header, payload []byte, a interceptor.Attributes,
	streamRng *rand.Rand) (int, error) {
	hn := h.MarshalSize()
	size := hn + len(payload)
	now := i.clock.Now()
	i.mu.Lock()
	f, ok := i.admit(now, size, true, streamRng)
	if !ok {
		i.mu.Unlock()
		return 0, ErrClosed
	}
	if f.n == 0 {
		i.mu.Unlock()
		return size, nil
	}
	if i.inline(f, now) {
		i.countDelivered(f.n, size, true)
		i.mu.Unlock()
		for range f.n {
			if n, err := w.Write(h, payload, a); err != nil {
				return n, err
			}
		}
		return size, nil
	}
	for k := range f.n {
		it := held{at: f.release[k], size: size, rtpW: w, attrs: a, pooled: true}
		it.buf = i.buffer(size)
		if _, err := h.MarshalTo(it.buf[:hn]); err == nil {
			it.hdrLen = hn
			it.padding = h.PaddingSize
			copy(it.buf[hn:], payload)
		} else {
			// A header Pion could not marshal either; keep a deep copy so the
			// next writer sees (and rejects) exactly what was sent.
			clone := h.Clone()
			it.clone = &clone
			it.buf = append(it.buf[:0], payload...)
		}
		i.hold(it)
	}
	i.mu.Unlock()
	return size, nil
}

func (i *Interceptor) writeRTCP(w interceptor.RTCPWriter, pkts []rtcp.Packet, a interceptor.Attributes) (int, error) {
	size := 0
	for _, p := range pkts {
		size += p.MarshalSize()
	}
	now := i.clock.Now()
	i.mu.Lock()
	f, ok := i.admit(now, size, false, nil)
	if !ok {
		i.mu.Unlock()
		return 0, ErrClosed
	}
	if f.n == 0 {
		i.mu.Unlock()
		return size, nil
	}
	if i.inline(f, now) {
		i.countDelivered(f.n, size, false)
		i.mu.Unlock()
		var n int
		var err error
		for range f.n {
			if n, err = w.Write(pkts, a); err != nil {
				return n, err
			}
		}
		return n, nil
	}
	// The batch is copied as its wire bytes: the sender may reuse its packets.
	raw, err := rtcp.Marshal(pkts)
	if err != nil {
		i.countDelivered(f.n, size, false)
		i.stats.WriteErrors += uint64(f.n)
		i.mu.Unlock()
		return 0, fmt.Errorf("impair: hold rtcp: %w", err)
	}
	for k := range f.n {
		i.hold(held{at: f.release[k], size: size, buf: raw, rtcpW: w, attrs: a})
	}
	i.mu.Unlock()
	return size, nil
}

// admit decides a packet's fate and counts it; ok is false after Close.
// Callers hold i.mu.
func (i *Interceptor) admit(now time.Time, size int, isRTP bool, streamRng *rand.Rand) (f fate, ok bool) {
	s := &i.stats
	s.Packets++
	s.Bytes += uint64(size)
	if isRTP {
		s.RTPPackets++
	}
	if i.closed {
		i.countLost(&s.LostClose, isRTP)
		return f, false
	}
	f = i.link.admit(now, size, streamRng)
	switch {
	case f.outage:
		i.countLost(&s.LostOutage, isRTP)
	case f.random:
		i.countLost(&s.LostRandom, isRTP)
	}
	if f.duplicated {
		s.Duplicated++
	}
	for range f.queueLost {
		i.countLost(&s.LostQueue, isRTP)
	}
	return f, true
}

// inline reports whether every copy is due now and nothing is waiting ahead
// of them, so they can be written on the sender's goroutine.
func (i *Interceptor) inline(f fate, now time.Time) bool {
	if len(i.queue) > 0 || i.releasing {
		return false
	}
	for k := range f.n {
		if f.release[k].After(now) {
			return false
		}
	}
	return true
}

func (i *Interceptor) countLost(counter *uint64, isRTP bool) {
	*counter++
	if isRTP {
		i.stats.RTPLost++
	}
}

func (i *Interceptor) countDelivered(n, size int, isRTP bool) {
	i.stats.Delivered += uint64(n)
	i.stats.DeliveredBytes += uint64(n * size)
	if isRTP {
		i.stats.RTPDelivered += uint64(n)
	}
}

// streamRand returns the Bernoulli-loss source of one outbound stream.
func (i *Interceptor) streamRand(info *interceptor.StreamInfo) *rand.Rand {
	mime := ""
	if info != nil {
		mime = info.MimeType
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	rank := i.perMime[mime]
	i.perMime[mime]++
	h := fnv.New64a()
	h.Write([]byte(mime))
	return rand.New(rand.NewPCG(i.seed[0]^h.Sum64(), i.seed[1]+rank))
}
