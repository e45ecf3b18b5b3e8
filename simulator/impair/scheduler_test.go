package impair

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schedSim drives several Interceptors that share one Scheduler in virtual
// time, in lockstep with the Scheduler's goroutine.
type schedSim struct {
	lockstep
	tb    testing.TB
	clock *fakeClock
	s     *Scheduler
	ics   []*Interceptor
	recs  []*recorder
	ws    []interceptor.RTPWriter
	start time.Time
	buf   []byte
}

func newSchedSim(tb testing.TB, resolution time.Duration, cfgs ...Config) *schedSim {
	tb.Helper()
	clock := newFakeClock()
	s, err := NewScheduler(WithSchedulerClock(clock), WithResolution(resolution))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, s.Close()) })
	ss := &schedSim{tb: tb, clock: clock, s: s, start: clock.Now(), buf: make([]byte, 1500)}
	ss.lockstep = lockstep{clock: clock, settle: ss.settle, next: s.armedFor}
	for k, c := range cfgs {
		f, err := NewInterceptor(WithConfig(c), WithScheduler(s), WithRand(rand.New(rand.NewPCG(uint64(k), 1))))
		require.NoError(tb, err)
		it, err := f.NewInterceptor("pc")
		require.NoError(tb, err)
		i := it.(*Interceptor)
		tb.Cleanup(func() { assert.NoError(tb, i.Close()) })
		rec := &recorder{clock: clock}
		ss.ics = append(ss.ics, i)
		ss.recs = append(ss.recs, rec)
		ss.ws = append(ss.ws, i.BindLocalStream(&interceptor.StreamInfo{SSRC: uint32(k + 1)}, rec))
	}
	return ss
}

// send writes packet idx through Interceptor k at start+at.
func (ss *schedSim) send(k int, at time.Duration, idx, size int) {
	ss.tb.Helper()
	ss.advance(ss.start.Add(at))
	h := rtp.Header{Version: 2, SequenceNumber: uint16(idx), SSRC: uint32(k + 1)}
	payload := ss.buf[:size-h.MarshalSize()]
	binary.BigEndian.PutUint32(payload, uint32(idx))
	_, err := ss.ws[k].Write(&h, payload, nil)
	require.NoError(ss.tb, err)
	clear(payload)
}

// drain runs the clock until nothing is held.
func (ss *schedSim) drain() {
	ss.tb.Helper()
	ss.lockstep.drain()
	for _, i := range ss.ics {
		_, held := i.head()
		require.False(ss.tb, held, "a packet is held but the scheduler sleeps without a timer")
	}
}

func (ss *schedSim) settle() {
	ss.tb.Helper()
	waitFor(ss.tb, "the scheduler to catch up", ss.s.settled)
}

// armedFor is when the sleeping Scheduler's timer fires.
func (s *Scheduler) armedFor() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.armedAt, s.armed
}

// settled reports whether the Scheduler sleeps on a timer that has not
// fired yet, with no wake pending. (With a resolution, a round may be due
// before the timer: it waits for the timer on purpose.)
func (s *Scheduler) settled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	fired := s.armed && !s.armedAt.After(s.clock.Now())
	return s.idle && !s.releasing && len(s.wake) == 0 && !fired
}

func TestSchedulerReleasesEachAtItsTime(t *testing.T) {
	ss := newSchedSim(t, 0,
		Config{Delay: 30 * time.Millisecond},
		Config{Delay: 50 * time.Millisecond, Jitter: 20 * time.Millisecond, Distribution: DistUniform},
		Config{}, // not delayed: written inline, never scheduled
	)
	const n = 300
	sent := make([][]time.Duration, len(ss.ics))
	for idx := range n {
		for k := range ss.ics {
			at := time.Duration(idx)*7*time.Millisecond + time.Duration(k)*time.Millisecond
			ss.send(k, at, idx, 200)
			sent[k] = append(sent[k], at)
		}
	}
	ss.drain()

	for k, rec := range ss.recs {
		got := rec.arrivals()
		require.Len(t, got, n, "interceptor %d", k)
		for j, a := range got {
			assert.Equal(t, j, a.idx, "interceptor %d: released out of order", k)
			delay := a.at.Sub(ss.start) - sent[k][a.idx]
			switch k {
			case 0:
				assert.Equal(t, 30*time.Millisecond, delay, "packet %d", a.idx)
			case 1:
				// Uniform 0-40 ms on top of 50 ms; without reordering a packet
				// waits for the one ahead of it, but never beyond the jitter.
				assert.GreaterOrEqual(t, delay, 50*time.Millisecond, "packet %d", a.idx)
				assert.Less(t, delay, 90*time.Millisecond, "packet %d", a.idx)
			case 2:
				assert.Zero(t, delay, "packet %d", a.idx)
			}
		}
	}
}

func TestSchedulerCoalescesWakeUps(t *testing.T) {
	const resolution = 5 * time.Millisecond
	cfgs := make([]Config, 8)
	for k := range cfgs {
		cfgs[k] = Config{Delay: 40 * time.Millisecond, Jitter: 10 * time.Millisecond, Distribution: DistUniform, Reorder: true}
	}
	ss := newSchedSim(t, resolution, cfgs...)
	const n = 400
	for idx := range n {
		for k := range ss.ics {
			ss.send(k, time.Duration(idx)*time.Millisecond, idx, 120)
		}
	}
	ss.drain()

	// Every packet leaves at or after its release time, less than one
	// resolution late, and all interceptors leave together in rounds.
	rounds := map[time.Time]bool{}
	for k, rec := range ss.recs {
		got := rec.arrivals()
		require.Len(t, got, n, "interceptor %d", k)
		for _, a := range got {
			delay := a.at.Sub(ss.start) - time.Duration(a.idx)*time.Millisecond
			assert.GreaterOrEqual(t, delay, 40*time.Millisecond, "interceptor %d packet %d early", k, a.idx)
			assert.Less(t, delay, 60*time.Millisecond+resolution, "interceptor %d packet %d", k, a.idx)
			rounds[a.at] = true
		}
	}
	span := time.Duration(n)*time.Millisecond + 60*time.Millisecond
	assert.LessOrEqual(t, len(rounds), int(span/resolution)+1, "rounds for %d packets", n*len(ss.ics))
	assert.Greater(t, len(rounds), int(time.Duration(n)*time.Millisecond/resolution)/2, "rounds")
}

func TestSchedulerForgetsClosedInterceptor(t *testing.T) {
	ss := newSchedSim(t, 0, Config{Delay: 100 * time.Millisecond}, Config{Delay: 10 * time.Millisecond})
	for idx := range 10 {
		ss.send(0, time.Duration(idx)*time.Millisecond, idx, 100)
		ss.send(1, time.Duration(idx)*time.Millisecond, idx, 100)
	}
	require.NoError(t, ss.ics[0].Close())
	ss.drain()

	assert.Zero(t, ss.recs[0].count(), "a closed interceptor's packets were written")
	assert.Equal(t, uint64(10), ss.ics[0].Stats().LostClose)
	assert.Equal(t, 10, ss.recs[1].count(), "the other interceptor lost packets")
	ss.s.mu.Lock()
	assert.Empty(t, ss.s.heap)
	ss.s.mu.Unlock()
}

// TestSchedulerRealClock runs many interceptors on the wall clock and one
// Scheduler, writing from several goroutines at once (under -race).
func TestSchedulerRealClock(t *testing.T) {
	s, err := NewScheduler()
	require.NoError(t, err)
	defer func() { assert.NoError(t, s.Close()) }()
	const (
		senders = 12
		n       = 100
		delay   = 5 * time.Millisecond
	)
	var wg sync.WaitGroup
	recs := make([]*timedRecorder, senders)
	for k := range senders {
		f, err := NewInterceptor(WithConfig(Config{Delay: delay, Jitter: 2 * time.Millisecond, Distribution: DistNormal}),
			WithScheduler(s))
		require.NoError(t, err)
		it, err := f.NewInterceptor("pc")
		require.NoError(t, err)
		defer func() { assert.NoError(t, it.Close()) }()
		recs[k] = &timedRecorder{}
		w := it.BindLocalStream(&interceptor.StreamInfo{SSRC: uint32(k)}, recs[k])
		wg.Add(1)
		go func() {
			defer wg.Done()
			payload := make([]byte, 100)
			for idx := range n {
				binary.BigEndian.PutUint64(payload, uint64(time.Now().UnixNano()))
				h := rtp.Header{Version: 2, SequenceNumber: uint16(idx), SSRC: uint32(k)}
				_, err := w.Write(&h, payload, nil)
				assert.NoError(t, err)
				time.Sleep(time.Millisecond)
			}
		}()
	}
	wg.Wait()
	for k, rec := range recs {
		waitFor(t, "every packet", func() bool { return rec.count() == n })
		assert.GreaterOrEqual(t, rec.minDelay(), delay, "sender %d: a packet left early", k)
	}
}

// timedRecorder notes how long each packet took from the send time its
// payload carries.
type timedRecorder struct {
	mu     sync.Mutex
	n      int
	minDel time.Duration
}

func (r *timedRecorder) Write(_ *rtp.Header, payload []byte, _ interceptor.Attributes) (int, error) {
	d := time.Since(time.Unix(0, int64(binary.BigEndian.Uint64(payload))))
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 || d < r.minDel {
		r.minDel = d
	}
	r.n++
	return len(payload), nil
}

func (r *timedRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

func (r *timedRecorder) minDelay() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.minDel
}

func TestSchedulerOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    []SchedulerOption
		wantErr string
	}{
		{name: "defaults"},
		{name: "exact", opts: []SchedulerOption{WithResolution(0)}},
		{name: "negative resolution", opts: []SchedulerOption{WithResolution(-time.Millisecond)}, wantErr: "must not be negative"},
		{name: "nil clock", opts: []SchedulerOption{WithSchedulerClock(nil)}, wantErr: "nil clock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewScheduler(tt.opts...)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.NoError(t, s.Close())
			assert.NoError(t, s.Close(), "second Close")
		})
	}
	_, err := NewInterceptor(WithScheduler(nil))
	assert.ErrorContains(t, err, "nil scheduler")
}
