package webui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// errTimeUp refuses work on an attempt whose deadline has passed.
var errTimeUp = fmt.Errorf("time is up: %w", store.ErrConflict)

// submitItem saves an item's final answer, grades it, stores the result and
// ends its call; submitting the last open item finishes the attempt.
func (s *Server) submitItem(ctx context.Context, attemptID uint, pos int, ans store.Answer) (store.ResultRecord, error) {
	rec, itemID, err := s.submitSettled(ctx, attemptID, pos, ans)
	if itemID != 0 {
		s.live.stop(itemID)
	}
	if errors.Is(err, errTimeUp) {
		if xerr := s.expireAttempt(ctx, attemptID); xerr != nil {
			return store.ResultRecord{}, errors.Join(err, xerr)
		}
	}
	return rec, err
}

func (s *Server) submitSettled(ctx context.Context, attemptID uint, pos int, ans store.Answer) (store.ResultRecord, uint, error) {
	s.live.settle.Lock()
	defer s.live.settle.Unlock()
	a, err := s.store.Attempt(ctx, attemptID)
	if err != nil {
		return store.ResultRecord{}, 0, fmt.Errorf("submit: %w", err)
	}
	switch {
	case a.Status != store.StatusInProgress:
		return store.ResultRecord{}, 0, fmt.Errorf("submit to attempt %d: %s: %w", a.ID, a.Status, store.ErrConflict)
	case a.Expired(s.now()):
		return store.ResultRecord{}, 0, fmt.Errorf("submit to attempt %d: %w", a.ID, errTimeUp)
	}
	it, err := examAttempt{Attempt: a}.item(fmt.Sprint(pos))
	if err != nil {
		return store.ResultRecord{}, 0, fmt.Errorf("submit: %w", err)
	}
	if it.SubmittedAt != nil {
		return store.ResultRecord{}, 0, fmt.Errorf("submit item %d: already submitted: %w", it.ID, store.ErrConflict)
	}
	if it.OpenedAt == nil {
		if it, err = s.store.OpenItem(ctx, it.ID); err != nil {
			return store.ResultRecord{}, 0, fmt.Errorf("submit: %w", err)
		}
	}
	ans.AttemptItemID = it.ID
	saved, err := s.store.SaveAnswer(ctx, ans)
	if err != nil {
		return store.ResultRecord{}, 0, fmt.Errorf("submit: %w", err)
	}
	rec, report, err := s.gradeItem(ctx, a, it, saved, s.now(), s.callStatus(it.ID), false)
	if err != nil {
		return store.ResultRecord{}, 0, err
	}
	if rec, err = s.store.SubmitGraded(ctx, it.ID, rec, report); err != nil {
		return store.ResultRecord{}, 0, err
	}
	if err := s.finishIfDone(ctx, a.ID); err != nil {
		return store.ResultRecord{}, it.ID, err
	}
	return rec, it.ID, nil
}

// finishIfDone finishes an attempt whose items are all submitted.
func (s *Server) finishIfDone(ctx context.Context, attemptID uint) error {
	a, err := s.store.Attempt(ctx, attemptID)
	if err != nil {
		return fmt.Errorf("finish: %w", err)
	}
	if _, open := (examAttempt{Attempt: a}).nextOpen(); open {
		return nil
	}
	score := attemptScore(a)
	if _, err := s.store.FinishAttempt(ctx, a.ID, store.StatusSubmitted, &score); err != nil {
		return fmt.Errorf("finish: %w", err)
	}
	return nil
}

// expireAttempt ends an attempt whose deadline has passed: each opened item
// not yet submitted is graded from its saved draft as at the deadline (the
// items never opened score 0), then the attempt is marked expired and its
// calls end. It does nothing to an attempt still in time or already
// finished, so racing callers are harmless.
func (s *Server) expireAttempt(ctx context.Context, attemptID uint) error {
	items, err := s.expireSettled(ctx, attemptID)
	for _, id := range items {
		s.live.stop(id)
	}
	return err
}

func (s *Server) expireSettled(ctx context.Context, attemptID uint) ([]uint, error) {
	s.live.settle.Lock()
	defer s.live.settle.Unlock()
	a, err := s.store.Attempt(ctx, attemptID)
	if err != nil {
		return nil, fmt.Errorf("expire: %w", err)
	}
	if !a.Expired(s.now()) {
		return nil, nil
	}
	var items []uint
	for _, it := range a.Items {
		items = append(items, it.ID)
		if it.SubmittedAt != nil || it.OpenedAt == nil {
			continue
		}
		ans, err := s.store.Answer(ctx, it.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			ans = store.Answer{AttemptItemID: it.ID}
		case err != nil:
			return items, fmt.Errorf("expire attempt %d: %w", a.ID, err)
		}
		rec, report, err := s.gradeItem(ctx, a, it, ans, *a.Deadline, s.callStatus(it.ID), true)
		if errors.Is(err, errNoSuchFile) {
			// The scenario left the library: nothing to grade against, so the
			// item scores 0 like one never opened, and the attempt still ends.
			s.log.Warn("expire: item not graded", slog.Uint64("item", uint64(it.ID)), slog.Any("error", err))
			continue
		}
		if err != nil {
			return items, fmt.Errorf("expire attempt %d: %w", a.ID, err)
		}
		if _, err := s.store.SubmitGraded(ctx, it.ID, rec, report); err != nil {
			return items, fmt.Errorf("expire attempt %d: %w", a.ID, err)
		}
	}
	if a, err = s.store.Attempt(ctx, attemptID); err != nil {
		return items, fmt.Errorf("expire: %w", err)
	}
	score := attemptScore(a)
	if _, err := s.store.FinishAttempt(ctx, a.ID, store.StatusExpired, &score); err != nil {
		return items, fmt.Errorf("expire: %w", err)
	}
	return items, nil
}

// expireAttemptByID is the live calls' hook for a deadline passing while a
// call runs; nobody waits on it, so failures are logged.
func (s *Server) expireAttemptByID(ctx context.Context, attemptID uint) {
	if err := s.expireAttempt(ctx, attemptID); err != nil {
		s.log.Error("expire attempt", slog.Uint64("attempt", uint64(attemptID)), slog.Any("error", err))
	}
}

// settleActiveAttempts runs at start-up: attempts whose time ran out while
// the server was down are expired now; the others stay in progress, and
// each item's call is restarted from its stored seed, offset and actions
// when the trainee opens it again.
func (s *Server) settleActiveAttempts(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	active, err := s.store.ActiveAttempts(ctx)
	if err != nil {
		return fmt.Errorf("settle attempts: %w", err)
	}
	resumable := 0
	for _, a := range active {
		if !a.Expired(s.now()) {
			resumable++
			continue
		}
		if err := s.expireAttempt(ctx, a.ID); err != nil {
			s.log.Error("expire attempt at start-up", slog.Uint64("attempt", uint64(a.ID)), slog.Any("error", err))
		}
	}
	if resumable > 0 {
		s.log.Info("attempts in progress; their calls resume when opened", slog.Int("attempts", resumable))
	}
	return nil
}
