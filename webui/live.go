package webui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// errBusy reports that every live-call slot is taken by a call in use.
var errBusy = echo.NewHTTPError(http.StatusServiceUnavailable, "all live calls are in use")

// errLiveClosed reports a request for a call after the server began to stop.
var errLiveClosed = echo.NewHTTPError(http.StatusServiceUnavailable, "server stopping")

// liveConfig is how the live calls are run; New fills it from Config.
type liveConfig struct {
	// max is how many calls may run at once; each is a real pair of Pion
	// peers, so the host's cores set the limit.
	max int
	// idle is how long a call nobody watches keeps running. It then stops
	// with its offset saved and resumes when the trainee comes back.
	idle time.Duration
	// saveEvery is how often a running call's timeline offset is stored,
	// which bounds what a crash can lose.
	saveEvery time.Duration
	// startTimeout bounds connecting a new call.
	startTimeout time.Duration
	// callOptions go to every call (tests use them).
	callOptions []simulator.Option
	// nodeID and nodeURL name this node in the attempts' leases, which last
	// leaseTTL unrenewed (live_lease.go).
	nodeID, nodeURL string
	leaseTTL        time.Duration
}

// liveCalls owns the running simulator sessions, one per attempt item at
// most and one per attempt at most (opening another item of the attempt
// pauses the first). Every call's goroutines are the manager's: close stops
// them all and waits, after storing each call's offset.
type liveCalls struct {
	cfg      liveConfig
	store    *store.Store
	now      func() time.Time
	log      *slog.Logger
	onExpire func(ctx context.Context, attemptID uint)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// sched releases the delayed packets of every call and clock ticks
	// their media: one wake-up per round for all of them instead of one per
	// call (impair.Scheduler, simulator.MediaClock); nil if one could not
	// start, and each call then runs its own.
	sched *impair.Scheduler
	clock *simulator.MediaClock

	mu     sync.Mutex
	calls  map[uint]*liveCall // by attempt item id
	closed bool

	// settle serializes the two ways an item closes, a submission and the
	// attempt's expiry, so that a racing pair grades each item once.
	settle sync.Mutex
}

// callSpec is what starting an item's call needs.
type callSpec struct {
	item     store.AttemptItem
	deadline *time.Time
	scenario *scenarios.Scenario
	catalog  *scenarios.Catalog
}

// liveCall is one item's running session. users, lastUse and the flags are
// guarded by the manager's mutex.
type liveCall struct {
	itemID, attemptID uint
	deadline          *time.Time

	ready chan struct{} // closed once started (sess set) or failed (err set)
	sess  *simulator.Session
	err   error

	stopCall context.CancelFunc
	done     chan struct{} // closed once torn down and removed

	users    int
	lastUse  time.Time
	stopping bool
	expiring bool
	leased   bool      // this node holds the attempt's lease
	lost     bool      // another node took the lease over, or it was fenced
	renewed  time.Time // when the lease was last taken or renewed

	applyMu sync.Mutex // one remedy at a time, in the store's order
}

func newLiveCalls(cfg liveConfig, st *store.Store, now func() time.Time, log *slog.Logger,
	onExpire func(context.Context, uint)) *liveCalls {
	ctx, cancel := context.WithCancel(context.Background())
	sched, err := impair.NewScheduler()
	if err != nil {
		log.Warn("live calls: no shared impairment scheduler", slog.Any("err", err))
	}
	clock, err := simulator.NewMediaClock()
	if err != nil {
		log.Warn("live calls: no shared media clock", slog.Any("err", err))
	}
	return &liveCalls{cfg: cfg, store: st, now: now, log: log, onExpire: onExpire,
		ctx: ctx, cancel: cancel, sched: sched, clock: clock, calls: map[uint]*liveCall{}}
}

// acquire returns the item's running call, starting it (resumed from the
// store) when needed, and counts the caller as a user until release. It
// waits for the call to connect or ctx to end.
func (m *liveCalls) acquire(ctx context.Context, spec callSpec) (*liveCall, error) {
	lc, err := m.ensure(spec, true)
	if err != nil {
		return nil, err
	}
	select {
	case <-lc.ready:
	case <-ctx.Done():
		m.release(lc)
		return nil, fmt.Errorf("wait for call of item %d: %w", spec.item.ID, ctx.Err())
	}
	if lc.err != nil {
		m.release(lc)
		return nil, lc.err
	}
	return lc, nil
}

// prewarm starts the item's call without waiting, so that it is connecting
// while the page loads. Being busy is not an error here: the page's stream
// reports it.
func (m *liveCalls) prewarm(spec callSpec) {
	if _, err := m.ensure(spec, false); err != nil && !errors.Is(err, errBusy) && !errors.Is(err, errLiveClosed) {
		m.log.Warn("prewarm live call", slog.Uint64("item", uint64(spec.item.ID)), slog.Any("error", err))
	}
}

// ensure finds or starts the item's call; with use it also counts a user.
func (m *liveCalls) ensure(spec callSpec, use bool) (*liveCall, error) {
	for {
		m.mu.Lock()
		if m.closed {
			m.mu.Unlock()
			return nil, errLiveClosed
		}
		var wait []*liveCall
		for id, other := range m.calls {
			if other.attemptID == spec.item.AttemptID && id != spec.item.ID {
				wait = append(wait, m.stopLocked(other))
			}
		}
		lc, ok := m.calls[spec.item.ID]
		switch {
		case len(wait) > 0:
		case ok && lc.stopping:
			wait = append(wait, lc)
		case ok:
		case len(m.calls) >= m.cfg.max:
			victim := m.idlestLocked()
			if victim == nil {
				m.mu.Unlock()
				return nil, errBusy
			}
			wait = append(wait, m.stopLocked(victim))
		default:
			lc = m.startLocked(spec)
		}
		if len(wait) == 0 {
			if use {
				lc.users++
			}
			lc.lastUse = m.now()
			m.mu.Unlock()
			return lc, nil
		}
		m.mu.Unlock()
		for _, w := range wait {
			<-w.done
		}
	}
}

// idlestLocked is the call unused for longest, or nil when all are in use.
func (m *liveCalls) idlestLocked() *liveCall {
	var victim *liveCall
	for _, lc := range m.calls {
		if lc.users == 0 && !lc.stopping && (victim == nil || lc.lastUse.Before(victim.lastUse)) {
			victim = lc
		}
	}
	return victim
}

// release ends one use of a call.
func (m *liveCalls) release(lc *liveCall) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lc.users--
	lc.lastUse = m.now()
}

// running returns the item's call if it is up, without starting one.
func (m *liveCalls) running(itemID uint) (*liveCall, bool) {
	m.mu.Lock()
	lc, ok := m.calls[itemID]
	m.mu.Unlock()
	if !ok {
		return nil, false
	}
	select {
	case <-lc.ready:
		return lc, lc.err == nil
	default:
		return nil, false
	}
}

// stop ends an item's call, if any, and waits until it is torn down with
// its offset stored.
func (m *liveCalls) stop(itemID uint) {
	m.mu.Lock()
	lc, ok := m.calls[itemID]
	if ok {
		m.stopLocked(lc)
	}
	m.mu.Unlock()
	if ok {
		<-lc.done
	}
}

func (m *liveCalls) stopLocked(lc *liveCall) *liveCall {
	lc.stopping = true
	lc.stopCall()
	return lc
}

// close stops every call, waits for all of them and refuses new ones. It is
// safe to call twice.
func (m *liveCalls) close() {
	m.mu.Lock()
	m.closed = true
	for _, lc := range m.calls {
		m.stopLocked(lc)
	}
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
	if m.sched != nil {
		_ = m.sched.Close() // after the calls, which have left it
	}
	if m.clock != nil {
		_ = m.clock.Close()
	}
}

// count is how many calls are running or starting.
func (m *liveCalls) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.calls)
}
