package webui

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter throttles sign-in attempts per key (client address and
// username), with a token bucket per key. The clock is passed in on each
// call, so tests move time rather than sleep.
type limiter struct {
	every time.Duration
	burst int
	max   int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newLimiter(every time.Duration, burst, maxKeys int) *limiter {
	return &limiter{every: every, burst: burst, max: maxKeys, buckets: map[string]*rate.Limiter{}}
}

// allow spends one attempt for key at now and tells whether it was left.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.max {
			l.evict(now)
		}
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.buckets[key] = b
	}
	return b.AllowN(now, 1)
}

// evict drops the buckets that have refilled, which are the same as new
// ones; if an address flood leaves none refilled, it drops an arbitrary
// half, trading a little leniency for bounded memory.
func (l *limiter) evict(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.max/2 {
			break
		}
		delete(l.buckets, k)
	}
}
