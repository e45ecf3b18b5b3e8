package impair

import (
	"sync"
	"time"
)

// fakeClock is a virtual clock: time moves only when a test sets it, and
// timers fire (on their channel) when it passes their deadline.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	clock  *fakeClock
	ch     chan time.Time
	at     time.Time
	active bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clock: c, ch: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	t.resetLocked(d)
	return t
}

// Set moves the clock to to (never backwards) and fires due timers.
func (c *fakeClock) Set(to time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if to.After(c.now) {
		c.now = to
	}
	for _, t := range c.timers {
		t.fireIfDueLocked()
	}
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	was := t.active
	t.active = false
	t.drainLocked()
	return was
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	return t.resetLocked(d)
}

func (t *fakeTimer) resetLocked(d time.Duration) bool {
	was := t.active
	t.drainLocked()
	t.at = t.clock.now.Add(d)
	t.active = true
	t.fireIfDueLocked()
	return was
}

func (t *fakeTimer) fireIfDueLocked() {
	if !t.active || t.at.After(t.clock.now) {
		return
	}
	t.active = false
	select {
	case t.ch <- t.clock.now:
	default:
	}
}

// drainLocked gives Stop and Reset Go 1.23 semantics: no stale value after.
func (t *fakeTimer) drainLocked() {
	select {
	case <-t.ch:
	default:
	}
}
