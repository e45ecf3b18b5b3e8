package webui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// errCallElsewhere reports that another node holds the attempt's lease, so
// its call cannot start here; the client retries (an event stream does so by
// itself) and is forwarded to the holder or, once the lease expires, served
// here.
var errCallElsewhere = echo.NewHTTPError(http.StatusServiceUnavailable, "the attempt's live call runs on another node")

// takeLease claims the call's attempt for this node before the call starts,
// so that two nodes never run the same attempt's call.
func (m *liveCalls) takeLease(ctx context.Context, lc *liveCall) error {
	_, err := m.store.AcquireLease(ctx, lc.attemptID, m.cfg.nodeID, m.cfg.nodeURL, m.cfg.leaseTTL)
	var held *store.LeaseHeldError
	switch {
	case errors.As(err, &held):
		return fmt.Errorf("start call of item %d: %v: %w", lc.itemID, held, errCallElsewhere)
	case err != nil:
		return fmt.Errorf("start call of item %d: %w", lc.itemID, err)
	}
	m.mu.Lock()
	lc.leased, lc.renewed = true, m.now()
	m.mu.Unlock()
	return nil
}

// dropLease gives the attempt up as its call ends, so that the next request
// may start it on any node; a lease already lost to another node is that
// node's now and stays.
func (m *liveCalls) dropLease(lc *liveCall) {
	m.mu.Lock()
	leased, lost := lc.leased, lc.lost
	m.mu.Unlock()
	if !leased || lost {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(m.ctx), 10*time.Second)
	defer cancel()
	if err := m.store.ReleaseLease(ctx, lc.attemptID, m.cfg.nodeID); err != nil && !errors.Is(err, store.ErrNotFound) {
		m.log.Warn("release call lease", slog.Uint64("attempt", uint64(lc.attemptID)), slog.Any("error", err))
	}
}

// lost tells whether another node took the call's lease over.
func (m *liveCalls) lost(lc *liveCall) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return lc.lost
}

// hasAttempt tells whether a call of the attempt runs or starts here.
func (m *liveCalls) hasAttempt(attemptID uint) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, lc := range m.calls {
		if lc.attemptID == attemptID {
			return true
		}
	}
	return false
}

// startLeases starts the two loops that make the calls survive a node:
// renewing this node's leases every third of the TTL, and taking over the
// expired leases of nodes that died (resume brings one attempt's call back
// here). Both stop with close.
func (m *liveCalls) startLeases(resume func(ctx context.Context, attemptID uint) error) {
	m.wg.Add(2)
	go m.keepLeases()
	go m.takeOver(resume)
}

func (m *liveCalls) keepLeases() {
	defer m.wg.Done()
	t := time.NewTicker(m.cfg.leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-t.C:
		}
		m.renewLeases(m.ctx)
	}
}

// renewLeases extends the leases of the calls running here and stops each
// call whose lease another node has taken over (this node was too slow to
// renew, or cut off from the database): that node runs the call now, from
// the stored offset and actions.
func (m *liveCalls) renewLeases(ctx context.Context) {
	m.mu.Lock()
	var held []*liveCall
	for _, lc := range m.calls {
		if lc.leased && !lc.lost {
			held = append(held, lc)
		}
	}
	m.mu.Unlock()
	if len(held) == 0 {
		return
	}
	ids, err := m.store.RenewLeases(ctx, m.cfg.nodeID, m.cfg.leaseTTL)
	if err != nil {
		if ctx.Err() == nil {
			m.log.Warn("renew call leases", slog.Any("error", err))
			m.fence(held)
		}
		return
	}
	kept := map[uint]bool{}
	for _, id := range ids {
		kept[id] = true
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, lc := range held {
		if !kept[lc.attemptID] {
			m.log.Warn("call lease taken over by another node; stopping the call here",
				slog.Uint64("attempt", uint64(lc.attemptID)))
			lc.lost = true
			m.stopLocked(lc)
			continue
		}
		lc.renewed = now
	}
}

// fence stops the calls whose leases may expire before the next renewal
// can succeed. A node cut off from the database cannot renew, and once its
// leases expire another node that still reaches the database resumes the
// attempts: stopping here first keeps one attempt from running on two
// nodes. The renewal loop ticks every third of the TTL, so a lease last
// renewed two thirds of a TTL ago would lapse before the next tick.
func (m *liveCalls) fence(held []*liveCall) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, lc := range held {
		if lc.lost || now.Sub(lc.renewed) < m.cfg.leaseTTL*2/3 {
			continue
		}
		m.log.Warn("call lease cannot be renewed before it expires; stopping the call here",
			slog.Uint64("attempt", uint64(lc.attemptID)))
		lc.lost = true // the lease is as good as lost: do not try to release it
		m.stopLocked(lc)
	}
}

// takeOver looks for expired leases every half TTL, jittered so that the
// nodes do not all look at once, and resumes their attempts here.
func (m *liveCalls) takeOver(resume func(ctx context.Context, attemptID uint) error) {
	defer m.wg.Done()
	for {
		half := m.cfg.leaseTTL / 2
		wait := half*3/4 + rand.N(half/2+1)
		select {
		case <-m.ctx.Done():
			return
		case <-time.After(wait):
		}
		m.takeOverExpired(resume)
	}
}

// takeOverTimeout bounds one listing of the expired leases and each resume.
// This loop is the only way a dead node's calls come back, and nothing else
// would end a database call that hangs (a connection dropped without a
// reset, a lock wait): unbounded, one such call would end the takeovers of
// this node for good, without a word. Bounded, it fails with a warning and
// the next round tries again on another connection.
func (m *liveCalls) takeOverTimeout() time.Duration {
	return max(2*m.cfg.leaseTTL, 20*time.Second)
}

// takeOverExpired is one round of takeOver. It logs each expired lease it
// finds and what it does with it, so that a call that did not move says
// why; resume logs the outcome.
func (m *liveCalls) takeOverExpired(resume func(ctx context.Context, attemptID uint) error) {
	ctx, cancel := context.WithTimeout(m.ctx, m.takeOverTimeout())
	start := time.Now()
	leases, err := m.store.ExpiredLeases(ctx)
	cancel()
	if err != nil {
		if m.ctx.Err() == nil {
			m.log.Warn("list expired call leases", slog.Duration("took", time.Since(start)), slog.Any("error", err))
		}
		return
	}
	for _, l := range leases {
		attrs := []any{slog.Uint64("attempt", uint64(l.AttemptID)), slog.String("node", l.NodeID),
			slog.String("node_url", l.NodeURL), slog.Time("expired_at", l.ExpiresAt)}
		if m.hasAttempt(l.AttemptID) {
			// A call of the attempt runs here, late in renewing its lease,
			// or starts here and takes the lease itself.
			m.log.Info("expired call lease skipped: the attempt's call runs or starts on this node",
				append(attrs, slog.Bool("own_lease", l.NodeID == m.cfg.nodeID))...)
			continue
		}
		m.log.Info("call lease of another node expired; resuming the call here", attrs...)
		ctx, cancel := context.WithTimeout(m.ctx, m.takeOverTimeout())
		began := time.Now()
		err := resume(ctx, l.AttemptID)
		cancel()
		if err != nil && m.ctx.Err() == nil {
			m.log.Warn("resume call of another node", append(attrs,
				slog.Duration("took", time.Since(began)), slog.Any("error", err))...)
		}
	}
}
