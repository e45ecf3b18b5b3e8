package impair

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/pion/interceptor"
)

// InterceptorFactory creates the impairment Interceptors of one direction and
// keeps their config in step: SetConfig reaches interceptors already running.
// It implements interceptor.Factory.
type InterceptorFactory struct {
	clock Clock
	sched *Scheduler

	mu  sync.Mutex
	cfg Config
	// rng seeds each Interceptor's own source, so one seed reproduces every
	// interceptor and no source is shared between their locks.
	rng          *rand.Rand
	interceptors []*Interceptor
}

var (
	_ interceptor.Factory     = (*InterceptorFactory)(nil)
	_ interceptor.Interceptor = (*Interceptor)(nil)
)

// Option configures an InterceptorFactory.
type Option func(*InterceptorFactory) error

// WithConfig sets the starting impairment; it must pass Config.Validate.
func WithConfig(c Config) Option {
	return func(f *InterceptorFactory) error {
		if err := c.Validate(); err != nil {
			return err
		}
		f.cfg = c.clone()
		return nil
	}
}

// WithClock replaces the wall clock, for tests in virtual time.
func WithClock(c Clock) Option {
	return func(f *InterceptorFactory) error {
		if c == nil {
			return errors.New("impair: nil clock")
		}
		f.clock = c
		return nil
	}
}

// WithScheduler has s release the held packets of every Interceptor the
// factory creates, on s's clock (it replaces WithClock). Share one Scheduler
// between many calls: that is what makes it cheaper.
func WithScheduler(s *Scheduler) Option {
	return func(f *InterceptorFactory) error {
		if s == nil {
			return errors.New("impair: nil scheduler")
		}
		f.sched, f.clock = s, s.clock
		return nil
	}
}

// WithRand makes the impairment reproducible: each Interceptor's random
// source is seeded from r, which is used only under the factory's lock.
// Without it the factory seeds from the runtime's random source, so two calls
// with the same config see different (but statistically equal) losses.
func WithRand(r *rand.Rand) Option {
	return func(f *InterceptorFactory) error {
		if r == nil {
			return errors.New("impair: nil rand")
		}
		f.rng = r
		return nil
	}
}

// NewInterceptor builds the factory that the PeerConnection's registry calls;
// the name follows pion/interceptor's constructors.
func NewInterceptor(opts ...Option) (*InterceptorFactory, error) {
	f := &InterceptorFactory{clock: RealClock{}}
	for _, opt := range opts {
		if err := opt(f); err != nil {
			return nil, fmt.Errorf("new impairment factory: %w", err)
		}
	}
	if f.sched != nil {
		f.clock = f.sched.clock // whatever the order of the options
	}
	if f.rng == nil {
		f.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return f, nil
}

// NewInterceptor creates the Interceptor of one PeerConnection.
func (f *InterceptorFactory) NewInterceptor(_ string) (interceptor.Interceptor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rng := rand.New(rand.NewPCG(f.rng.Uint64(), f.rng.Uint64()))
	i := newInterceptor(f.cfg, f.clock, f.sched, rng)
	f.interceptors = append(f.interceptors, i)
	return i, nil
}

// SetConfig validates c and applies it to every Interceptor the factory
// created, effective from the next packet: no restart, and packets already
// in flight keep their release times.
func (f *InterceptorFactory) SetConfig(c Config) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("set impairment: %w", err)
	}
	c = c.clone()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cfg = c
	for _, i := range f.interceptors {
		i.setConfig(c)
	}
	return nil
}

// Config returns the impairment in effect.
func (f *InterceptorFactory) Config() Config {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg.clone()
}

// Stats sums the counters of every Interceptor the factory created, closed
// ones included.
func (f *InterceptorFactory) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	var s Stats
	for _, i := range f.interceptors {
		s.add(i.Stats())
	}
	return s
}

// clone copies the GilbertElliott parameters too, so a caller changing its
// struct after SetConfig cannot race with the packets being impaired.
func (c Config) clone() Config {
	if c.GE != nil {
		ge := *c.GE
		c.GE = &ge
	}
	return c
}
