package impair

import "time"

// Clock is the time source of an Interceptor. It is injected so tests can run
// hours of traffic in virtual time and still exercise the release goroutine.
type Clock interface {
	// Now is the current time; release times are computed from it.
	Now() time.Time
	// NewTimer starts a Timer that fires once after d.
	NewTimer(d time.Duration) Timer
}

// Timer is the one-shot timer the release goroutine sleeps on. It follows the
// semantics of *time.Timer since Go 1.23: after Stop or Reset returns, no
// value from the earlier schedule is received.
type Timer interface {
	// C delivers the time once the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it was active.
	Stop() bool
	// Reset makes the timer fire after d; it reports whether it was active.
	Reset(d time.Duration) bool
}

// RealClock is the wall clock, used by default.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (RealClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }
