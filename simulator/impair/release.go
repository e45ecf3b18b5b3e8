package impair

import (
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// maxFree bounds the recycled buffers kept per interceptor: enough for a
// second of a few Mbit/s held at once, and no more memory than that.
const maxFree = 512

// held is a packet waiting for its release time. It owns a copy of the
// packet, because Pion pools the headers and buffers it writes from.
type held struct {
	at   time.Time
	seq  uint64
	size int
	// buf holds an RTP packet as its marshaled header then the payload, or
	// an RTCP batch as its wire bytes.
	buf    []byte
	hdrLen int
	// padding is rtp.Header.PaddingSize, which is not part of the wire header.
	padding byte
	// clone is the header when it could not be marshaled; buf is the payload.
	clone  *rtp.Header
	pooled bool
	rtpW   interceptor.RTPWriter
	rtcpW  interceptor.RTCPWriter
	attrs  interceptor.Attributes
}

// releaseQueue is a binary min-heap by (at, seq), kept by value so holding a
// packet allocates nothing once the slice has grown.
type releaseQueue []held

func (q releaseQueue) less(a, b int) bool {
	if q[a].at.Equal(q[b].at) {
		return q[a].seq < q[b].seq
	}
	return q[a].at.Before(q[b].at)
}

func (q *releaseQueue) push(it held) {
	*q = append(*q, it)
	h := *q
	for c := len(h) - 1; c > 0; {
		p := (c - 1) / 2
		if !h.less(c, p) {
			break
		}
		h[c], h[p] = h[p], h[c]
		c = p
	}
}

func (q *releaseQueue) pop() held {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h[last] = held{} // drop references for the garbage collector
	h = h[:last]
	for p := 0; ; {
		c := 2*p + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h.less(c+1, c) {
			c++
		}
		if !h.less(c, p) {
			break
		}
		h[c], h[p] = h[p], h[c]
		p = c
	}
	*q = h
	return top
}

// hold queues a packet and, when it is now the first due, tells the
// Scheduler or wakes the release goroutine. Callers hold i.mu.
func (i *Interceptor) hold(it held) {
	it.seq = i.seq
	i.seq++
	i.queue.push(it)
	if i.sched != nil {
		// While a round writes this Interceptor's packets, it asks for the
		// next head itself when done.
		if i.queue[0].seq == it.seq && !i.releasing {
			i.sched.schedule(i, it.at)
		}
		return
	}
	if !i.started {
		i.started = true
		i.wg.Add(1)
		go i.run()
	}
	if i.queue[0].seq == it.seq {
		i.idle = false
		select {
		case i.wake <- struct{}{}:
		default:
		}
	}
}

// buffer returns a recycled buffer of length size. Callers hold i.mu.
func (i *Interceptor) buffer(size int) []byte {
	if n := len(i.free); n > 0 {
		b := i.free[n-1]
		i.free[n-1] = nil
		i.free = i.free[:n-1]
		if cap(b) >= size {
			return b[:size]
		}
	}
	return make([]byte, size, max(size, mtu))
}

// run is the release goroutine: it writes every due packet in release order,
// then sleeps on one timer until the next is due or a new packet comes first.
func (i *Interceptor) run() {
	defer i.wg.Done()
	timer := i.clock.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		i.mu.Lock()
		i.idle = false
		now := i.clock.Now()
		if i.releaseNow(now) {
			i.mu.Unlock()
			continue // writing took time: look again before sleeping
		}
		if len(i.queue) > 0 {
			timer.Reset(i.queue[0].at.Sub(now))
		}
		// A wake sent before this lock is already accounted for.
		select {
		case <-i.wake:
		default:
		}
		i.idle = true
		i.mu.Unlock()
		select {
		case <-i.done:
			return
		case <-i.wake:
		case <-timer.C():
		}
		timer.Stop()
	}
}

// releaseDue is one Scheduler round for i: it writes every packet due by
// now and returns when the next is due (ok false: none is queued).
func (i *Interceptor) releaseDue(now time.Time) (next time.Time, ok bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return time.Time{}, false
	}
	i.releaseNow(now)
	if i.closed || len(i.queue) == 0 {
		return time.Time{}, false
	}
	return i.queue[0].at, true
}

// releaseNow writes every packet due by now, in release order, outside the
// lock, and reports whether there were any: the work of a round, whether the
// Interceptor's own goroutine or a Scheduler runs it (one at a time, so one
// set of buffers serves both). Callers hold i.mu; it is held again on return.
func (i *Interceptor) releaseNow(now time.Time) bool {
	for len(i.queue) > 0 && !i.queue[0].at.After(now) {
		i.relBatch = append(i.relBatch, i.queue.pop())
	}
	if len(i.relBatch) == 0 {
		return false
	}
	i.releasing = true
	i.inflight.Add(1)
	i.mu.Unlock()
	i.release(i.relBatch, &i.relHdr)
	clear(i.relBatch)
	i.relBatch = i.relBatch[:0]
	i.inflight.Done()
	i.mu.Lock()
	return true
}

// release writes a batch outside the lock, then counts it and recycles its
// buffers.
func (i *Interceptor) release(batch []held, hdr *rtp.Header) {
	var failed int
	for k := range batch {
		if i.deliver(&batch[k], hdr) != nil {
			failed++
		}
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.releasing = false
	i.stats.WriteErrors += uint64(failed)
	for k := range batch {
		it := &batch[k]
		i.countDelivered(1, it.size, it.rtpW != nil)
		if it.pooled && len(i.free) < maxFree {
			i.free = append(i.free, it.buf)
		}
	}
}

// deliver writes one packet to the next writer. hdr is reused between
// packets, as Pion reuses its own: next writers must not keep it.
func (i *Interceptor) deliver(it *held, hdr *rtp.Header) error {
	if it.rtpW != nil {
		h := it.clone
		if h == nil {
			if _, err := hdr.Unmarshal(it.buf[:it.hdrLen]); err != nil {
				return err
			}
			hdr.PaddingSize = it.padding
			h = hdr
		}
		_, err := it.rtpW.Write(h, it.buf[it.hdrLen:], it.attrs)
		return err
	}
	pkts, err := rtcp.Unmarshal(it.buf)
	if err != nil {
		return err
	}
	_, err = it.rtcpW.Write(pkts, it.attrs)
	return err
}
