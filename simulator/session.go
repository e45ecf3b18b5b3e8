package simulator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/mediaserver"
)

// healthyHold is how long the metrics must stay within the scenario's
// healthy bounds before the engine calls the fault resolved.
const healthyHold = 10 * time.Second

// Session plays one scenario variant on a live call: the fault timeline, the
// trainee's remedies and the verdict on whether the fault is resolved. It is
// what an exam item runs on. Run plays it; Close stops it and the call.
//
// How remedies act: every remedy does its own real thing to the call (a
// lower rendition, a network type's own profile, another edge node's delay,
// a backup server). The scenario's fault itself — the timeline's impairment —
// is the root cause at work; it stops once a remedy the scenario lists as
// resolving has been applied and its delay (a scale-out's ETA) has passed.
// Lowering the resolution is the exception: it clears nothing and resolves a
// bandwidth squeeze by physics alone, because the cap stays where it is.
type Session struct {
	sc      *scenarios.Scenario
	cat     *scenarios.Catalog
	variant *scenarios.Variant
	call    *Call
	offset  time.Duration // timeline offset at which the call started (resume)
	now     func() time.Time

	mu       sync.Mutex
	actions  []Action
	cleared  time.Duration // timeline offset from which the fault is gone; <0: not
	network  string        // the customer's network type now
	edgeNode string
	lastUp   impair.Config
	lastDown impair.Config
	series   []Sample
	log      []Event
	healthy  time.Duration // timeline offset since which the bounds hold; <0: not
	resolved time.Duration // timeline offset when resolved; <0: not yet
	subs     map[int]chan Sample
	nextSub  int

	cluster    *mediaserver.Cluster
	toolRuns   uint64
	lastFaults callFaults

	closed bool
	cancel context.CancelFunc
	// life ends at Close: remedies and retries in flight stop with it.
	life context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// Action is one remedy the trainee applied, when, and what it did.
type Action struct {
	RemedyID string        `json:"remedy"`
	At       time.Duration `json:"at"` // timeline offset
	Outcome  string        `json:"outcome"`
	Err      string        `json:"error,omitempty"`
}

// SessionOption configures a Session.
type SessionOption func(*sessionConfig) error

type sessionConfig struct {
	seed    uint64
	offset  time.Duration
	history []Action
	call    []Option
}

// WithVariantSeed picks the scenario variant (default 1).
func WithVariantSeed(seed uint64) SessionOption {
	return func(c *sessionConfig) error { c.seed = seed; return nil }
}

// WithResume starts the call at a timeline offset with the actions already
// taken, as after a server restart: their effects are re-applied at once.
func WithResume(offset time.Duration, history []Action) SessionOption {
	return func(c *sessionConfig) error {
		if offset < 0 {
			return errors.New("resume offset is negative")
		}
		c.offset, c.history = offset, slices.Clone(history)
		return nil
	}
}

// WithCallOptions passes options to the underlying Call.
func WithCallOptions(opts ...Option) SessionOption {
	return func(c *sessionConfig) error { c.call = append(c.call, opts...); return nil }
}

// NewSession starts the call for a scenario variant.
func NewSession(ctx context.Context, sc *scenarios.Scenario, cat *scenarios.Catalog, opts ...SessionOption) (*Session, error) {
	cfg := sessionConfig{seed: 1}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("simulator: session option: %w", err)
		}
	}
	if cat == nil {
		return nil, errors.New("simulator: session needs the catalog")
	}
	s := &Session{sc: sc, cat: cat, variant: sc.Variant(cfg.seed), offset: cfg.offset, now: time.Now,
		cleared: -1, healthy: -1, resolved: -1, network: sc.Customer.Network, edgeNode: string(sc.Customer.EdgeNode),
		subs: map[int]chan Sample{}}
	var err error
	if s.cluster, err = newCluster(s.now); err != nil {
		return nil, fmt.Errorf("simulator: session: %w", err)
	}
	for _, a := range cfg.history {
		s.replay(a)
	}
	up, down := s.impairmentAt(cfg.offset)
	s.lastUp, s.lastDown = up, down
	fopts, err := s.startOptions(cfg.offset)
	if err != nil {
		return nil, fmt.Errorf("simulator: session %s: %w", sc.ID, err)
	}
	copts := append([]Option{WithSeed(cfg.seed), WithImpairment(Uplink, up), WithImpairment(Downlink, down),
		WithEvents(func(e Event) { e.Offset += s.offset; s.record(e) })}, fopts...)
	copts = append(copts, cfg.call...)
	if r, ok := s.rendition(); ok {
		copts = append(copts, WithRendition(r))
	}
	s.life, s.stop = context.WithCancel(context.Background())
	call, err := New(ctx, copts...)
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("simulator: session %s: %w", sc.ID, err)
	}
	s.call = call
	s.logClientFaults()
	for _, a := range cfg.history {
		if r, err := cat.Remedy(a.RemedyID); err == nil && r.Effect.Kind == "failover_media_server" {
			if _, err := s.cluster.Failover(); err == nil {
				fctx, cancel := context.WithTimeout(ctx, remedyTimeout)
				_ = call.FailoverServer(fctx)
				cancel()
			}
		}
	}
	return s, nil
}

// Variant is the concrete scenario being played.
func (s *Session) Variant() *scenarios.Variant { return s.variant }

// Call is the live call under the session.
func (s *Session) Call() *Call { return s.call }

// Offset is the current position on the scenario's timeline.
func (s *Session) Offset() time.Duration { return s.offset + s.now().Sub(s.call.Started()) }

// Run plays the timeline until ctx ends or the call closes: it follows the
// phases and ramps, decorates each sample with the timeline offset and the
// server's load, and judges resolution. Call it once; it returns when ctx
// ends or Close is called.
func (s *Session) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	if s.closed || s.cancel != nil {
		s.mu.Unlock()
		return errors.New("simulator: session already running or closed")
	}
	s.cancel = cancel
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	return s.run(ctx)
}

func (s *Session) run(ctx context.Context) error {
	samples, stop := s.call.Subscribe()
	defer stop()
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			at := s.Offset()
			if err := s.follow(at); err != nil {
				return err
			}
			s.followFaults(ctx, at)
		case smp, ok := <-samples:
			if !ok {
				return nil
			}
			s.observe(smp)
		}
	}
}

// follow applies the impairment the timeline (and the remedies) ask for now.
func (s *Session) follow(at time.Duration) error {
	up, down := s.impairmentAt(at)
	s.mu.Lock()
	changedUp, changedDown := up != s.lastUp, down != s.lastDown
	s.lastUp, s.lastDown = up, down
	s.mu.Unlock()
	if changedUp {
		if err := s.call.SetImpairment(Uplink, up); err != nil {
			return err
		}
	}
	if changedDown {
		if err := s.call.SetImpairment(Downlink, down); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the session and its call; it is idempotent.
func (s *Session) Close() error {
	s.mu.Lock()
	s.closed = true
	s.stop()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
	err := s.call.Close()
	s.mu.Lock()
	for id, ch := range s.subs {
		close(ch)
		delete(s.subs, id)
	}
	s.mu.Unlock()
	return err
}

// rendition is the rendition the actions so far ask for.
func (s *Session) rendition() (encoder.Rendition, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.actions) - 1; i >= 0; i-- {
		r, err := s.cat.Remedy(s.actions[i].RemedyID)
		if err == nil && r.Effect.Kind == "lower_resolution" {
			if rend, err := encoder.RenditionByName(r.Effect.To); err == nil {
				return rend, true
			}
		}
	}
	return encoder.Rendition{}, false
}
