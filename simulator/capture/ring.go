package capture

import "time"

// ring keeps the newest packets: at most max of them and, when maxAge > 0,
// none older than maxAge. It grows lazily to max, so a short call does not pay
// for a long one, and reuses the byte buffers of the slots it overwrites.
// It is not safe for concurrent use; the Interceptor locks around it.
type ring struct {
	buf     []Packet
	head, n int
	max     int
	maxAge  time.Duration

	recorded, evicted uint64
}

func newRing(max int, maxAge time.Duration) *ring {
	return &ring{max: max, maxAge: maxAge}
}

// slot returns the slot the next packet goes into, evicting the oldest packet
// when the ring is full and every packet older than the age bound. The slot's
// Data is empty but keeps its capacity for reuse.
func (r *ring) slot(now time.Time) *Packet {
	r.expire(now)
	r.recorded++
	if r.n < len(r.buf) || len(r.buf) < r.max {
		if r.n == len(r.buf) {
			// Growing: appending keeps the order only if the held packets
			// start at index 0, which age eviction may have changed.
			r.compact()
			r.buf = append(r.buf, Packet{})
		}
		i := (r.head + r.n) % len(r.buf)
		r.n++
		r.buf[i].Data = r.buf[i].Data[:0]
		return &r.buf[i]
	}
	// Full: overwrite the oldest.
	r.evicted++
	i := r.head
	r.head = (r.head + 1) % len(r.buf)
	r.buf[i].Data = r.buf[i].Data[:0]
	return &r.buf[i]
}

// compact moves the held packets to the front of buf, in order, so the buffer
// can grow by appending.
func (r *ring) compact() {
	if r.head == 0 {
		return
	}
	held := make([]Packet, r.n, len(r.buf))
	for k := 0; k < r.n; k++ {
		held[k] = r.buf[(r.head+k)%len(r.buf)]
	}
	r.buf = held
	r.head = 0
}

// expire evicts packets older than the age bound.
func (r *ring) expire(now time.Time) {
	if r.maxAge <= 0 {
		return
	}
	cutoff := now.Add(-r.maxAge)
	for r.n > 0 && r.buf[r.head].Time.Before(cutoff) {
		r.head = (r.head + 1) % len(r.buf)
		r.n--
		r.evicted++
	}
}

// snapshot copies the held packets, oldest first.
func (r *ring) snapshot(now time.Time) []Packet {
	r.expire(now)
	out := make([]Packet, r.n)
	for k := range out {
		out[k] = r.buf[(r.head+k)%len(r.buf)].clone()
	}
	return out
}
