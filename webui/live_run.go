package webui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// startLocked registers a new call and starts its goroutine. The caller
// holds m.mu.
func (m *liveCalls) startLocked(spec callSpec) *liveCall {
	ctx, cancel := context.WithCancel(m.ctx)
	lc := &liveCall{itemID: spec.item.ID, attemptID: spec.item.AttemptID, deadline: spec.deadline,
		ready: make(chan struct{}), done: make(chan struct{}), stopCall: cancel, lastUse: m.now()}
	m.calls[lc.itemID] = lc
	m.wg.Add(1)
	go m.run(ctx, lc, spec)
	return lc
}

// run is a call's whole life: connect, play until stopped (or idle), then
// store the offset and tear down. It is the only writer of lc.sess and
// lc.err, both published by closing lc.ready.
func (m *liveCalls) run(ctx context.Context, lc *liveCall, spec callSpec) {
	defer m.wg.Done()
	defer close(lc.done)
	defer m.remove(lc)
	defer m.dropLease(lc)
	defer lc.stopCall()
	err := m.takeLease(ctx, lc)
	var sess *simulator.Session
	if err == nil {
		sess, err = m.start(ctx, spec)
	}
	if err != nil {
		lc.err = err
		close(lc.ready)
		return
	}
	lc.sess = sess
	close(lc.ready)
	runErr := make(chan error, 1)
	go func() { runErr <- sess.Run(ctx) }()
	m.keep(ctx, lc)
	if !m.lost(lc) {
		// A lost call's new holder resumed from the stored offset and now
		// stores its own.
		m.saveOffset(lc)
	}
	if err := sess.Close(); err != nil {
		m.log.Warn("close live call", slog.Uint64("item", uint64(lc.itemID)), slog.Any("error", err))
	}
	if err := <-runErr; err != nil {
		m.log.Warn("live call ended", slog.Uint64("item", uint64(lc.itemID)), slog.Any("error", err))
	}
}

// start builds the session from what the store holds now — not from the
// request's copy of the item, which a call that just stopped may have
// overtaken: same variant seed, the last stored offset, and the remedies
// already applied, replayed.
func (m *liveCalls) start(ctx context.Context, spec callSpec) (*simulator.Session, error) {
	it, err := m.store.AttemptItem(ctx, spec.item.AttemptID, spec.item.Position)
	if err != nil {
		return nil, fmt.Errorf("start call: %w", err)
	}
	history, err := m.history(ctx, it.ID)
	if err != nil {
		return nil, fmt.Errorf("start call: %w", err)
	}
	if spec.scenario.ContentHash() != it.ContentHash {
		// The trainer edited the file since the draw: the variant may differ.
		// Playing on beats locking the trainee out of the exam.
		m.log.Warn("scenario changed since the attempt started",
			slog.Uint64("item", uint64(it.ID)), slog.String("scenario", it.ScenarioID))
	}
	opts := []simulator.SessionOption{simulator.WithVariantSeed(uint64(it.VariantSeed))}
	if it.TimelineOffsetMS > 0 || len(history) > 0 {
		opts = append(opts, simulator.WithResume(it.TimelineOffset(), history))
	}
	var callOpts []simulator.Option
	if m.sched != nil {
		callOpts = append(callOpts, simulator.WithScheduler(m.sched))
	}
	if m.clock != nil {
		callOpts = append(callOpts, simulator.WithMediaClock(m.clock))
	}
	if callOpts = append(callOpts, m.cfg.callOptions...); len(callOpts) > 0 {
		opts = append(opts, simulator.WithCallOptions(callOpts...))
	}
	startCtx, cancel := context.WithTimeout(ctx, m.cfg.startTimeout)
	defer cancel()
	sess, err := simulator.NewSession(startCtx, spec.scenario, spec.catalog, opts...)
	if err != nil {
		return nil, fmt.Errorf("start call of item %d: %w", it.ID, err)
	}
	return sess, nil
}

// history is the item's stored remedies as the simulator replays them.
func (m *liveCalls) history(ctx context.Context, itemID uint) ([]simulator.Action, error) {
	acts, err := m.store.Actions(ctx, itemID)
	if err != nil {
		return nil, err
	}
	var out []simulator.Action
	for _, a := range acts {
		if a.Kind != store.ActionRemedy {
			continue
		}
		o := outcomeOf(a)
		out = append(out, simulator.Action{RemedyID: a.Name, At: a.Offset(), Outcome: o.Outcome, Err: o.Error})
	}
	return out, nil
}

// keep looks after a running call until it is stopped: it stores the offset
// every few seconds, stops the call when nobody has used it for a while,
// and asks for the attempt to be expired once its deadline passes.
func (m *liveCalls) keep(ctx context.Context, lc *liveCall) {
	t := time.NewTicker(m.cfg.saveEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !m.saveOffset(lc) {
			return
		}
		m.mu.Lock()
		now := m.now()
		idle := lc.users == 0 && now.Sub(lc.lastUse) >= m.cfg.idle
		expire := lc.deadline != nil && !now.Before(*lc.deadline) && !lc.expiring && m.onExpire != nil
		lc.stopping = lc.stopping || idle
		lc.expiring = lc.expiring || expire
		m.mu.Unlock()
		if expire {
			// Expiring stops this very call, so it cannot run here; the
			// counter is above zero (this goroutine), so Add is safe.
			m.wg.Add(1)
			go func() {
				defer m.wg.Done()
				m.onExpire(m.ctx, lc.attemptID)
			}()
		}
		if idle {
			return
		}
	}
}

// saveOffset stores how far the call has run. It reports false once the
// item no longer takes writes (submitted, or the attempt finished), which
// ends the call.
func (m *liveCalls) saveOffset(lc *liveCall) bool {
	// The final save runs while the server stops: it must not inherit the
	// cancellation, or a restart would lose the last seconds.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(m.ctx), 10*time.Second)
	defer cancel()
	err := m.store.RecordOffset(ctx, lc.itemID, lc.sess.Offset())
	switch {
	case errors.Is(err, store.ErrConflict):
		return false
	case err != nil:
		m.log.Warn("store call offset", slog.Uint64("item", uint64(lc.itemID)), slog.Any("error", err))
	}
	return true
}

// remove forgets a torn-down call, unless a newer one took its place.
func (m *liveCalls) remove(lc *liveCall) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.calls[lc.itemID] == lc {
		delete(m.calls, lc.itemID)
	}
}

// apply performs a remedy on the live call and stores it as it happened. A
// remedy the engine could not carry out is still the trainee's action: it
// is stored with its error, which the trainee sees as the outcome.
func (m *liveCalls) apply(ctx context.Context, lc *liveCall, remedyID string) (store.Action, error) {
	lc.applyMu.Lock()
	defer lc.applyMu.Unlock()
	act, err := lc.sess.Apply(remedyID)
	switch {
	case errors.Is(err, simulator.ErrUnknownRemedy):
		return store.Action{}, fmt.Errorf("apply %q: %w", remedyID, store.ErrInvalid)
	case err != nil && act.Err == "":
		m.log.Warn("remedy applied, call not updated", slog.String("remedy", remedyID), slog.Any("error", err))
	}
	outcome, err := json.Marshal(actionOutcome{Outcome: act.Outcome, Error: act.Err})
	if err != nil {
		return store.Action{}, fmt.Errorf("apply %q: %w", remedyID, err)
	}
	// The call has changed: storing it must not depend on the client waiting.
	rec, err := m.store.RecordAction(context.WithoutCancel(ctx), store.Action{
		AttemptItemID: lc.itemID, OffsetMS: act.At.Milliseconds(), Kind: store.ActionRemedy,
		Name: remedyID, Outcome: string(outcome)})
	if err != nil {
		return store.Action{}, fmt.Errorf("apply %q: %w", remedyID, err)
	}
	return rec, nil
}

// actionOutcome is what a stored remedy action's Outcome holds (as JSON).
type actionOutcome struct {
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
}

// outcomeOf decodes a stored action's outcome; text that is not JSON is
// shown as it is.
func outcomeOf(a store.Action) actionOutcome {
	var o actionOutcome
	if err := json.Unmarshal([]byte(a.Outcome), &o); err != nil {
		return actionOutcome{Outcome: a.Outcome}
	}
	return o
}
