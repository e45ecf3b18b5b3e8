package webui

import (
	"context"
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// examAttempt is an attempt loaded for its own trainee, with the exam rules
// it runs under.
type examAttempt struct {
	store.Attempt
	// Exam is the stored exam, or practiceRules for a practice run from the
	// scenario library.
	Exam store.Exam
}

// practiceRules are the rules of a practice run from the library: each item
// is reviewed as soon as it is submitted.
func practiceRules() store.Exam {
	return store.Exam{Mode: store.ModePractice, ReviewPolicy: store.ReviewAfterEach}
}

// Finished tells whether the attempt takes no more answers.
func (a examAttempt) Finished() bool { return a.Status != store.StatusInProgress }

// item returns the item at a position given as a path parameter.
func (a examAttempt) item(pos string) (store.AttemptItem, error) {
	n, err := strconv.Atoi(pos)
	if err == nil {
		for _, it := range a.Items {
			if it.Position == n {
				return it, nil
			}
		}
	}
	return store.AttemptItem{}, fmt.Errorf("item %q of attempt %d: %w", pos, a.ID, store.ErrNotFound)
}

// nextOpen is the first item not yet submitted, if any.
func (a examAttempt) nextOpen() (store.AttemptItem, bool) {
	for _, it := range a.Items {
		if it.SubmittedAt == nil {
			return it, true
		}
	}
	return store.AttemptItem{}, false
}

// attemptParam loads the signed-in trainee's attempt named by :id.
func (s *Server) attemptParam(c echo.Context) (examAttempt, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return examAttempt{}, fmt.Errorf("attempt %q: %w", c.Param("id"), store.ErrNotFound)
	}
	return s.ownAttempt(c.Request().Context(), currentUser(c), uint(id))
}

// ownAttempt loads a user's attempt. Another user's attempt is not found
// rather than forbidden, so ids cannot be probed. An attempt whose deadline
// has passed is expired here, before anyone sees it as still running: the
// server's clock, not the page's, ends an exam.
func (s *Server) ownAttempt(ctx context.Context, u *store.User, id uint) (examAttempt, error) {
	a, err := s.store.Attempt(ctx, id)
	if err != nil {
		return examAttempt{}, err
	}
	if a.UserID != u.ID {
		return examAttempt{}, fmt.Errorf("attempt %d of user %d: %w", id, u.ID, store.ErrNotFound)
	}
	if a.Expired(s.now()) {
		if err := s.expireAttempt(ctx, a.ID); err != nil {
			return examAttempt{}, err
		}
		if a, err = s.store.Attempt(ctx, id); err != nil {
			return examAttempt{}, err
		}
	}
	ea := examAttempt{Attempt: a, Exam: practiceRules()}
	if a.ExamID != nil {
		if ea.Exam, err = s.store.Exam(ctx, *a.ExamID); err != nil {
			return examAttempt{}, err
		}
	}
	return ea, nil
}

// attemptItemParam loads the attempt and its item named by :pos.
func (s *Server) attemptItemParam(c echo.Context) (examAttempt, store.AttemptItem, error) {
	a, err := s.attemptParam(c)
	if err != nil {
		return examAttempt{}, store.AttemptItem{}, err
	}
	it, err := a.item(c.Param("pos"))
	return a, it, err
}

// reviewVisible tells whether the trainee may see an item's key now.
func (s *Server) reviewVisible(a examAttempt, it store.AttemptItem) bool {
	return a.Exam.ReviewVisible(s.now(), it.SubmittedAt != nil, a.Finished())
}

// scenarioOf finds an item's scenario in the library. A scenario that has
// since left the library (deleted, or broken by an edit) is not found.
func (s *Server) scenarioOf(it store.AttemptItem) (*scenarios.Scenario, *scenarios.Catalog, error) {
	lib, err := s.library.get()
	if err != nil {
		return nil, nil, fmt.Errorf("scenario of item %d: %w: %w", it.ID, errNoSuchFile, err)
	}
	sc, err := lib.Scenario(it.ScenarioID)
	if err != nil {
		return nil, nil, fmt.Errorf("scenario of item %d: %w: %w", it.ID, errNoSuchFile, err)
	}
	if lib.Catalog() == nil {
		return nil, nil, fmt.Errorf("scenario of item %d: no catalog: %w", it.ID, errNoSuchFile)
	}
	return sc, lib.Catalog(), nil
}

// callSpecOf is what the live calls need to run an item.
func (s *Server) callSpecOf(a examAttempt, it store.AttemptItem) (callSpec, error) {
	sc, cat, err := s.scenarioOf(it)
	if err != nil {
		return callSpec{}, err
	}
	return callSpec{item: it, deadline: a.Deadline, scenario: sc, catalog: cat}, nil
}

// openItem marks an unsubmitted item of a running attempt as opened (the
// handle time starts here) and returns it.
func (s *Server) openItem(ctx context.Context, a examAttempt, it store.AttemptItem) (store.AttemptItem, error) {
	if a.Finished() || it.SubmittedAt != nil {
		return it, nil
	}
	return s.store.OpenItem(ctx, it.ID)
}
