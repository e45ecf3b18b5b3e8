package impair

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// arrival is one packet as the next writer saw it.
type arrival struct {
	idx     int // packet index, carried in the first 4 payload bytes
	seq     uint16
	at      time.Time
	size    int
	wire    []byte // marshaled header, when the recorder keeps bytes
	padding byte
	payload []byte
}

// recorder is the fake next writer: it notes what arrives and when.
type recorder struct {
	clock Clock
	keep  bool

	mu  sync.Mutex
	got []arrival
}

func (r *recorder) Write(h *rtp.Header, payload []byte, _ interceptor.Attributes) (int, error) {
	a := arrival{
		idx:  int(binary.BigEndian.Uint32(payload)),
		seq:  h.SequenceNumber,
		at:   r.clock.Now(),
		size: h.MarshalSize() + len(payload),
	}
	if r.keep {
		wire, err := h.Marshal()
		if err != nil {
			return 0, err
		}
		a.wire, a.padding, a.payload = wire, h.PaddingSize, append([]byte(nil), payload...)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, a)
	return a.size, nil
}

func (r *recorder) arrivals() []arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]arrival(nil), r.got...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// sim drives one Interceptor in virtual time, in lockstep with its release
// goroutine, so every recorded arrival time is the exact release time.
type sim struct {
	lockstep
	tb    testing.TB
	clock *fakeClock
	f     *InterceptorFactory
	i     *Interceptor
	rec   *recorder
	w     interceptor.RTPWriter
	start time.Time
	hdr   rtp.Header // reused between packets, as Pion reuses its own
	buf   []byte
}

func newSim(tb testing.TB, c Config, seed uint64) *sim {
	tb.Helper()
	clock := newFakeClock()
	f, err := NewInterceptor(WithConfig(c), WithClock(clock), WithRand(rand.New(rand.NewPCG(seed, 1))))
	require.NoError(tb, err)
	it, err := f.NewInterceptor("pc")
	require.NoError(tb, err)
	i := it.(*Interceptor)
	tb.Cleanup(func() { assert.NoError(tb, i.Close()) })
	rec := &recorder{clock: clock}
	s := &sim{
		tb: tb, clock: clock, f: f, i: i, rec: rec,
		w:     i.BindLocalStream(&interceptor.StreamInfo{SSRC: 1}, rec),
		start: clock.Now(),
		buf:   make([]byte, 1500),
	}
	s.lockstep = lockstep{clock: clock, settle: s.settle, next: i.head}
	return s
}

// send writes packet idx of size bytes (at least 16) at start+at, after
// releasing everything due before then.
func (s *sim) send(at time.Duration, idx, size int) {
	s.tb.Helper()
	s.advance(s.start.Add(at))
	s.hdr = rtp.Header{Version: 2, SequenceNumber: uint16(idx), Timestamp: uint32(idx) * 960, SSRC: 1}
	payload := s.buf[:size-s.hdr.MarshalSize()]
	binary.BigEndian.PutUint32(payload, uint32(idx))
	_, err := s.w.Write(&s.hdr, payload, nil)
	require.NoError(s.tb, err)
	// Scribble over both, as Pion's pools would once Write returns.
	s.hdr.SequenceNumber = 0xdead
	clear(payload)
}

// run sends n packets of size bytes, one every interval, drains the queue
// and returns every arrival.
func (s *sim) run(n int, interval time.Duration, size int) []arrival {
	s.tb.Helper()
	for k := range n {
		s.send(time.Duration(k)*interval, k, size)
	}
	s.drain()
	return s.rec.arrivals()
}

// lockstep moves a fake clock in step with a release goroutine (an
// Interceptor's or a Scheduler's): settle waits until it sleeps, next says
// when it wants to wake.
type lockstep struct {
	clock  *fakeClock
	settle func()
	next   func() (time.Time, bool)
}

// advance moves virtual time to `to`, stopping at every wake-up on the way.
func (l lockstep) advance(to time.Time) {
	for {
		l.settle()
		next, ok := l.next()
		if !ok || next.After(to) {
			break
		}
		l.clock.Set(next)
	}
	l.clock.Set(to)
	l.settle()
}

// drain runs the clock until the goroutine wants no wake-up.
func (l lockstep) drain() {
	for {
		l.settle()
		next, ok := l.next()
		if !ok {
			return
		}
		l.clock.Set(next)
	}
}

func (s *sim) settle() {
	s.tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	waitFor(s.tb, "the release goroutine to catch up", func() bool {
		if time.Now().After(deadline) {
			s.tb.Fatalf("lockstep stalled: %s", s.dump())
		}
		return s.i.settled()
	})
}

// dump describes the interceptor and its timers when the lockstep stalls.
func (s *sim) dump() string {
	s.i.mu.Lock()
	defer s.i.mu.Unlock()
	now := s.clock.Now()
	out := fmt.Sprintf("idle=%v releasing=%v wake=%d q=%d now=%v", s.i.idle, s.i.releasing, len(s.i.wake), len(s.i.queue), now)
	if len(s.i.queue) > 0 {
		out += fmt.Sprintf(" head=%v", s.i.queue[0].at.Sub(now))
	}
	s.clock.mu.Lock()
	for _, t := range s.clock.timers {
		out += fmt.Sprintf(" timer(active=%v at=%v ch=%d)", t.active, t.at.Sub(now), len(t.ch))
	}
	s.clock.mu.Unlock()
	return out
}

// head is the release time of the first queued packet.
func (i *Interceptor) head() (time.Time, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(i.queue) == 0 {
		return time.Time{}, false
	}
	return i.queue[0].at, true
}

// settled reports whether the release goroutine has written everything due
// and sleeps on a timer armed for the queue head.
func (i *Interceptor) settled() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if !i.started || i.closed {
		return true
	}
	due := len(i.queue) > 0 && !i.queue[0].at.After(i.clock.Now())
	return i.idle && !i.releasing && len(i.wake) == 0 && !due
}

// waitFor polls cond with a deadline generous enough for a loaded machine.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for spins := 0; !cond(); spins++ {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		if spins < 100 {
			runtime.Gosched()
		} else {
			time.Sleep(20 * time.Microsecond)
		}
	}
}

// lostRuns returns the lengths of the runs of consecutive missing indexes
// among 0..n-1.
func lostRuns(got []arrival, n int) []int {
	seen := make([]bool, n)
	for _, a := range got {
		seen[a.idx] = true
	}
	var runs []int
	run := 0
	for _, ok := range seen {
		switch {
		case !ok:
			run++
		case run > 0:
			runs = append(runs, run)
			run = 0
		}
	}
	if run > 0 {
		runs = append(runs, run)
	}
	return runs
}
