package impair

import (
	"container/heap"
	"errors"
	"fmt"
	"sync"
	"time"
)

// DefaultResolution is how long a Scheduler sleeps at least between two
// rounds of releases.
const DefaultResolution = time.Millisecond

// Scheduler releases the held packets of many Interceptors from one
// goroutine. Alone, each Interceptor sleeps on its own timer and wakes once
// per delayed packet: with a few hundred calls that is tens of thousands of
// goroutine wake-ups a second, a large share of what delayed calls cost. A
// shared Scheduler wakes at most once per resolution and releases every
// packet then due, of every Interceptor, in one round.
//
// Packets are never released early; they may be released up to one
// resolution late (plus the runtime's timer slack), as a real router's
// queue is drained on its own clock. Factories join it with WithScheduler.
// Close it after the Interceptors it serves: packets still held when it
// closes stay queued until their Interceptor closes.
type Scheduler struct {
	clock      Clock
	resolution time.Duration

	mu   sync.Mutex
	heap schedHeap // by schedAt; an Interceptor is in it at most once
	// idle is set while the goroutine sleeps with no wake pending, and
	// releasing while it serves a round outside the lock: tests in virtual
	// time advance the clock only when it is idle.
	idle, releasing bool
	armed           bool // the timer is set for armedAt
	armedAt         time.Time
	closed          bool

	wake chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

// SchedulerOption configures a Scheduler.
type SchedulerOption func(*Scheduler) error

// WithSchedulerClock replaces the wall clock, for tests in virtual time. The
// factories that join the Scheduler use its clock.
func WithSchedulerClock(c Clock) SchedulerOption {
	return func(s *Scheduler) error {
		if c == nil {
			return errors.New("impair: nil clock")
		}
		s.clock = c
		return nil
	}
}

// WithResolution sets the shortest sleep between rounds (default
// DefaultResolution); 0 releases every packet at its exact time, with one
// wake-up per distinct release time.
func WithResolution(d time.Duration) SchedulerOption {
	return func(s *Scheduler) error {
		if d < 0 {
			return fmt.Errorf("impair: resolution %v: must not be negative", d)
		}
		s.resolution = d
		return nil
	}
}

// NewScheduler starts a Scheduler's goroutine; Close stops it.
func NewScheduler(opts ...SchedulerOption) (*Scheduler, error) {
	s := &Scheduler{
		clock:      RealClock{},
		resolution: DefaultResolution,
		wake:       make(chan struct{}, 1),
		done:       make(chan struct{}),
	}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, fmt.Errorf("new impairment scheduler: %w", err)
		}
	}
	s.wg.Add(1)
	go s.run()
	return s, nil
}

// Close stops the goroutine and waits for it, including a round in
// progress. Close is idempotent.
func (s *Scheduler) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for _, i := range s.heap {
		i.schedIdx = -1
	}
	s.heap = nil
	close(s.done)
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// schedule asks for i to be served at at, or earlier if it already waits for
// an earlier time. Interceptors call it holding their own lock: the
// Scheduler never takes an Interceptor's lock while holding its own.
func (s *Scheduler) schedule(i *Interceptor, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if i.schedIdx >= 0 {
		if !at.Before(i.schedAt) {
			return
		}
		i.schedAt = at
		heap.Fix(&s.heap, i.schedIdx)
	} else {
		i.schedAt = at
		heap.Push(&s.heap, i)
	}
	// Wake the goroutine only when this moves its next round earlier by more
	// than a resolution: otherwise it will come soon enough.
	if s.heap[0] == i && (!s.armed || s.armedAt.Sub(at) > s.resolution) {
		s.idle = false
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// remove forgets i, which is closing.
func (s *Scheduler) remove(i *Interceptor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i.schedIdx >= 0 {
		heap.Remove(&s.heap, i.schedIdx)
	}
}

// run serves every Interceptor whose time has come, then sleeps until the
// next one's, but at least one resolution.
func (s *Scheduler) run() {
	defer s.wg.Done()
	timer := s.clock.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var batch []*Interceptor
	for {
		s.mu.Lock()
		s.idle, s.armed, s.releasing = false, false, false
		now := s.clock.Now()
		for len(s.heap) > 0 && !s.heap[0].schedAt.After(now) {
			batch = append(batch, heap.Pop(&s.heap).(*Interceptor))
		}
		if len(batch) > 0 {
			s.releasing = true
			s.mu.Unlock()
			for k, i := range batch {
				if next, ok := i.releaseDue(now); ok {
					s.schedule(i, next)
				}
				batch[k] = nil
			}
			batch = batch[:0]
			continue // releasing took time: look again before sleeping
		}
		if len(s.heap) > 0 {
			s.armed, s.armedAt = true, s.heap[0].schedAt
			if soonest := now.Add(s.resolution); s.armedAt.Before(soonest) {
				s.armedAt = soonest
			}
			timer.Reset(s.armedAt.Sub(now))
		}
		select { // a wake sent before this lock is already accounted for
		case <-s.wake:
		default:
		}
		s.idle = true
		s.mu.Unlock()
		select {
		case <-s.done:
			return
		case <-s.wake:
		case <-timer.C():
		}
		timer.Stop()
	}
}

// schedHeap orders Interceptors by their next release time for
// container/heap, keeping each one's index so that an earlier time or a
// Close can find it.
type schedHeap []*Interceptor

func (h schedHeap) Len() int           { return len(h) }
func (h schedHeap) Less(a, b int) bool { return h[a].schedAt.Before(h[b].schedAt) }

func (h schedHeap) Swap(a, b int) {
	h[a], h[b] = h[b], h[a]
	h[a].schedIdx = a
	h[b].schedIdx = b
}

func (h *schedHeap) Push(x any) {
	i := x.(*Interceptor)
	i.schedIdx = len(*h)
	*h = append(*h, i)
}

func (h *schedHeap) Pop() any {
	old := *h
	i := old[len(old)-1]
	old[len(old)-1] = nil // for the garbage collector
	*h = old[:len(old)-1]
	i.schedIdx = -1
	return i
}
