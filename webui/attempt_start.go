package webui

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// startPractice starts a practice run of one of the library's practice
// exams: its scenarios drawn at random, its time limit from now.
func (s *Server) startPractice(ctx context.Context, u *store.User, examID string) (store.Attempt, error) {
	lib, err := s.library.get()
	if err != nil {
		return store.Attempt{}, fmt.Errorf("start practice %q: %w: %w", examID, errNoSuchFile, err)
	}
	e, err := lib.Exam(examID)
	if err != nil || e.Mode != string(store.ModePractice) {
		return store.Attempt{}, fmt.Errorf("start practice %q: %w", examID, errNoSuchFile)
	}
	items, err := s.drawItems(lib, e)
	if err != nil {
		return store.Attempt{}, fmt.Errorf("start practice %q: %w", examID, err)
	}
	deadline := s.now().UTC().Add(e.TimeLimit.Std())
	return s.store.StartAttempt(ctx, store.NewAttempt{UserID: u.ID, Mode: store.ModePractice, Deadline: &deadline, Items: items})
}

// startExam starts (or, when one is running, returns) the user's attempt at
// an exam assigned to them. An exam not assigned to the user is not found;
// one outside its dates is a conflict.
func (s *Server) startExam(ctx context.Context, u *store.User, examID uint) (store.Attempt, error) {
	assigned, err := s.store.AssignedExams(ctx, u.ID)
	if err != nil {
		return store.Attempt{}, fmt.Errorf("start exam %d: %w", examID, err)
	}
	i := slices.IndexFunc(assigned, func(e store.Exam) bool { return e.ID == examID })
	if i < 0 {
		return store.Attempt{}, fmt.Errorf("start exam %d for user %d: %w", examID, u.ID, store.ErrNotFound)
	}
	e := assigned[i]
	mine, err := s.store.UserAttempts(ctx, u.ID)
	if err != nil {
		return store.Attempt{}, fmt.Errorf("start exam %d: %w", examID, err)
	}
	for _, a := range mine {
		if a.ExamID != nil && *a.ExamID == examID && a.Status == store.StatusInProgress && !a.Expired(s.now()) {
			return a, nil
		}
	}
	if !e.IsOpen(s.now()) {
		return store.Attempt{}, fmt.Errorf("start exam %d: not open: %w", examID, store.ErrConflict)
	}
	lib, err := s.library.get()
	if err != nil {
		return store.Attempt{}, fmt.Errorf("start exam %d: %w: %w", examID, errNoSuchFile, err)
	}
	draw := &scenarios.Exam{ID: scenarios.Slug(fmt.Sprintf("exam-%d", e.ID)), Draw: e.DrawCount}
	for _, id := range e.ScenarioIDs {
		draw.Scenarios = append(draw.Scenarios, scenarios.Slug(id))
	}
	for _, t := range e.Tags {
		draw.Tags = append(draw.Tags, scenarios.Slug(t))
	}
	if draw.Draw == 0 {
		draw.Draw = len(lib.Pool(draw))
	}
	items, err := s.drawItems(lib, draw)
	if err != nil {
		return store.Attempt{}, fmt.Errorf("start exam %d: %w", examID, err)
	}
	deadline, err := s.examDeadline(ctx, e, u.ID)
	if err != nil {
		return store.Attempt{}, fmt.Errorf("start exam %d: %w", examID, err)
	}
	return s.store.StartAttempt(ctx, store.NewAttempt{ExamID: &e.ID, UserID: u.ID, Mode: e.Mode, Deadline: deadline, Items: items})
}

// examDeadline is when a user's attempt starting now must end: the time
// limit plus the user's extension, and no later than the exam's closing
// (pushed back by the same extension, which exists to give that user more
// time). Nil means untimed.
func (s *Server) examDeadline(ctx context.Context, e store.Exam, userID uint) (*time.Time, error) {
	extra, err := s.store.ExtraTime(ctx, e.ID, userID)
	if err != nil {
		return nil, err
	}
	var deadline *time.Time
	if e.TimeLimit() > 0 {
		d := s.now().UTC().Add(e.TimeLimit() + extra)
		deadline = &d
	}
	if e.ClosesAt != nil {
		closes := e.ClosesAt.UTC().Add(extra)
		if deadline == nil || closes.Before(*deadline) {
			deadline = &closes
		}
	}
	return deadline, nil
}

// drawItems draws an exam's scenarios and a variant seed for each. The seeds
// are stored with the items, which is all a restart needs to replay them.
func (s *Server) drawItems(lib *scenarios.Library, e *scenarios.Exam) ([]store.NewAttemptItem, error) {
	seed, err := s.seed()
	if err != nil {
		return nil, err
	}
	drawn, err := lib.Draw(e, seed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrConflict, err)
	}
	items := make([]store.NewAttemptItem, 0, len(drawn))
	for _, sc := range drawn {
		v, err := s.seed()
		if err != nil {
			return nil, err
		}
		items = append(items, store.NewAttemptItem{ScenarioID: string(sc.ID), VariantSeed: int64(v), ContentHash: sc.ContentHash()})
	}
	return items, nil
}

// seed reads a random 64-bit seed.
func (s *Server) seed() (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(s.random, b[:]); err != nil {
		return 0, fmt.Errorf("draw seed: %w", err)
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}
