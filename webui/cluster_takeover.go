package webui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// resumeAttempt brings an attempt's call back on this node after the node
// that ran it stopped renewing its lease: it claims the lease (another
// living node may win it, which is fine) and starts the call of the item
// the trainee was on, from its stored seed, offset and actions — the
// restart logic, without waiting for the trainee to reload. A call nobody
// watches stops after the idle time as usual.
func (s *Server) resumeAttempt(ctx context.Context, attemptID uint) error {
	a, err := s.store.Attempt(ctx, attemptID)
	if err != nil {
		return fmt.Errorf("resume attempt %d: %w", attemptID, err)
	}
	if a.Status != store.StatusInProgress {
		s.log.Info("resume: the attempt is over; nothing to bring back",
			slog.Uint64("attempt", uint64(a.ID)), slog.String("status", string(a.Status)))
		return nil
	}
	if a.Expired(s.now()) {
		return s.expireAttempt(ctx, a.ID)
	}
	_, err = s.store.AcquireLease(ctx, a.ID, s.cfg.NodeID, s.cfg.NodeURL, s.cfg.LeaseTTL)
	var held *store.LeaseHeldError
	switch {
	case errors.As(err, &held):
		s.log.Info("resume: another node took the lease first",
			slog.Uint64("attempt", uint64(a.ID)), slog.String("node", held.Holder.NodeID))
		return nil
	case err != nil:
		return fmt.Errorf("resume: %w", err)
	}
	ea := examAttempt{Attempt: a}
	it, err := ea.item(fmt.Sprint(a.CurrentItem))
	if err == nil && (it.SubmittedAt != nil || it.OpenedAt == nil) {
		s.log.Info("resume: no item open; lease released", slog.Uint64("attempt", uint64(a.ID)))
		return s.releaseLease(ctx, a.ID)
	}
	var spec callSpec
	if err == nil {
		spec, err = s.callSpecOf(ea, it)
	}
	if err == nil {
		_, err = s.live.ensure(spec, false)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("resume attempt %d: %w", a.ID, err), s.releaseLease(ctx, a.ID))
	}
	s.log.Info("resumed the call of a node that stopped renewing its lease",
		slog.Uint64("attempt", uint64(a.ID)), slog.Int("item", it.Position))
	return nil
}

// releaseLease gives up a lease this node took but will not use, so that it
// is not listed as expired again and again.
func (s *Server) releaseLease(ctx context.Context, attemptID uint) error {
	if err := s.store.ReleaseLease(ctx, attemptID, s.cfg.NodeID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("release lease: %w", err)
	}
	return nil
}
