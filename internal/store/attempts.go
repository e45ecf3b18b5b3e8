package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AttemptStatus is where an attempt stands.
type AttemptStatus string

// The attempt statuses. Only in-progress attempts accept actions and
// answers.
const (
	StatusInProgress AttemptStatus = "in_progress"
	StatusSubmitted  AttemptStatus = "submitted"
	StatusExpired    AttemptStatus = "expired"
)

// Attempt is one trainee taking one exam (or a practice run when ExamID is
// nil). Deadline is absolute and stored, so the timer survives a restart.
type Attempt struct {
	ID          uint `gorm:"primaryKey"`
	ExamID      *uint
	UserID      uint
	Mode        Mode
	Status      AttemptStatus
	StartedAt   time.Time
	Deadline    *time.Time
	FinishedAt  *time.Time
	CurrentItem int
	Score       *float64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Items       []AttemptItem `gorm:"foreignKey:AttemptID"`
}

// Remaining is the time left at now; ok is false for an untimed attempt.
func (a Attempt) Remaining(now time.Time) (left time.Duration, ok bool) {
	if a.Deadline == nil {
		return 0, false
	}
	return max(a.Deadline.Sub(now), 0), true
}

// AttemptItem is one scenario within an attempt: enough to rebuild the very
// same call after a restart (scenario, variant seed, content hash of the file
// it was drawn from, and how far its timeline had run). VariantSeed holds a
// uint64 seed bit for bit (int64(seed) in, uint64(v) out), because SQLite
// integers are signed.
type AttemptItem struct {
	ID               uint `gorm:"primaryKey"`
	AttemptID        uint
	Position         int
	ScenarioID       string
	VariantSeed      int64
	ContentHash      string
	TimelineOffsetMS int64
	OpenedAt         *time.Time
	SubmittedAt      *time.Time
	Score            *float64
	Report           string
}

// TimelineOffset is how far the item's call had run when last recorded.
func (it AttemptItem) TimelineOffset() time.Duration {
	return time.Duration(it.TimelineOffsetMS) * time.Millisecond
}

// NewAttempt is what StartAttempt needs; items keep their order.
type NewAttempt struct {
	ExamID   *uint
	UserID   uint
	Mode     Mode
	Deadline *time.Time
	Items    []NewAttemptItem
}

// NewAttemptItem is one drawn scenario of a new attempt.
type NewAttemptItem struct {
	ScenarioID  string
	VariantSeed int64
	ContentHash string
}

// StartAttempt records a new in-progress attempt with its drawn items.
func (s *Store) StartAttempt(ctx context.Context, na NewAttempt) (Attempt, error) {
	if len(na.Items) == 0 {
		return Attempt{}, fmt.Errorf("start attempt for user %d: no items: %w", na.UserID, ErrInvalid)
	}
	if na.Mode != ModePractice && na.Mode != ModeExam {
		return Attempt{}, fmt.Errorf("start attempt for user %d: mode %q: %w", na.UserID, na.Mode, ErrInvalid)
	}
	a := Attempt{
		ExamID: na.ExamID, UserID: na.UserID, Mode: na.Mode, Status: StatusInProgress,
		StartedAt: s.nowUTC(), Deadline: dbTimePtr(na.Deadline),
	}
	for i, it := range na.Items {
		a.Items = append(a.Items, AttemptItem{
			Position: i, ScenarioID: it.ScenarioID, VariantSeed: it.VariantSeed, ContentHash: it.ContentHash,
		})
	}
	if err := s.db.WithContext(ctx).Create(&a).Error; err != nil {
		return Attempt{}, dbErr(err, "start attempt for user %d", na.UserID)
	}
	return a, nil
}

// Attempt returns an attempt with its items in order.
func (s *Store) Attempt(ctx context.Context, id uint) (Attempt, error) {
	var a Attempt
	err := s.db.WithContext(ctx).Preload("Items", func(db *gorm.DB) *gorm.DB {
		return db.Order("position")
	}).First(&a, id).Error
	return a, dbErr(err, "attempt %d", id)
}

// UserAttempts lists a user's attempts, newest first, without items.
func (s *Store) UserAttempts(ctx context.Context, userID uint) ([]Attempt, error) {
	var as []Attempt
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&as).Error
	return as, dbErr(err, "attempts of user %d", userID)
}

// ActiveAttempts lists the attempts still in progress with their items, so
// a restarted server can bring their calls back.
func (s *Store) ActiveAttempts(ctx context.Context) ([]Attempt, error) {
	var as []Attempt
	err := s.db.WithContext(ctx).Preload("Items", func(db *gorm.DB) *gorm.DB {
		return db.Order("position")
	}).Where("status = ?", StatusInProgress).Order("id").Find(&as).Error
	return as, dbErr(err, "active attempts")
}

// OpenItem makes an item the attempt's current one and stamps when it was
// first opened.
func (s *Store) OpenItem(ctx context.Context, itemID uint) (AttemptItem, error) {
	var it AttemptItem
	err := s.inProgressItem(ctx, itemID, func(tx *gorm.DB, item *AttemptItem) error {
		if item.OpenedAt == nil {
			now := s.nowUTC()
			item.OpenedAt = &now
			if err := tx.Model(item).Update("opened_at", now).Error; err != nil {
				return err
			}
		}
		it = *item
		return tx.Model(&Attempt{}).Where("id = ?", item.AttemptID).
			Updates(map[string]any{"current_item": item.Position, "updated_at": s.nowUTC()}).Error
	})
	return it, err
}

// RecordOffset notes how far an item's call has run. Offsets only grow, so a
// late write from a slow request cannot wind the timeline back.
func (s *Store) RecordOffset(ctx context.Context, itemID uint, offset time.Duration) error {
	return s.inProgressItem(ctx, itemID, func(tx *gorm.DB, _ *AttemptItem) error {
		return tx.Model(&AttemptItem{}).Where("id = ? AND timeline_offset_ms < ?", itemID, offset.Milliseconds()).
			Update("timeline_offset_ms", offset.Milliseconds()).Error
	})
}

// SubmitItem closes an item with its grade. An item is submitted once;
// again is ErrConflict.
func (s *Store) SubmitItem(ctx context.Context, itemID uint, score *float64, report string) error {
	return s.inProgressItem(ctx, itemID, func(tx *gorm.DB, _ *AttemptItem) error {
		return tx.Model(&AttemptItem{}).Where("id = ?", itemID).Updates(map[string]any{
			"submitted_at": s.nowUTC(), "score": score, "report": report,
		}).Error
	})
}

// FinishAttempt ends an in-progress attempt as submitted or expired.
func (s *Store) FinishAttempt(ctx context.Context, id uint, status AttemptStatus, score *float64) (Attempt, error) {
	if status != StatusSubmitted && status != StatusExpired {
		return Attempt{}, fmt.Errorf("finish attempt %d as %q: %w", id, status, ErrInvalid)
	}
	now := s.nowUTC()
	res := s.db.WithContext(ctx).Model(&Attempt{}).Where("id = ? AND status = ?", id, StatusInProgress).
		Updates(map[string]any{"status": status, "finished_at": now, "score": score, "updated_at": now})
	if res.Error != nil {
		return Attempt{}, dbErr(res.Error, "finish attempt %d", id)
	}
	if res.RowsAffected == 0 {
		if _, err := s.Attempt(ctx, id); err != nil {
			return Attempt{}, fmt.Errorf("finish: %w", err)
		}
		return Attempt{}, fmt.Errorf("finish attempt %d: not in progress: %w", id, ErrConflict)
	}
	return s.Attempt(ctx, id)
}

// inProgressItem runs fn in a transaction on an item whose attempt is in
// progress and which is not yet submitted; otherwise it is ErrConflict.
func (s *Store) inProgressItem(ctx context.Context, itemID uint, fn func(tx *gorm.DB, it *AttemptItem) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The rows stay locked to the end (on PostgreSQL; SQLite's
		// transaction already runs alone), so that the checks below still
		// hold when fn writes: a concurrent submit or finish waits.
		forUpdate := clause.Locking{Strength: clause.LockingStrengthUpdate}
		var it AttemptItem
		if err := tx.Clauses(forUpdate).First(&it, itemID).Error; err != nil {
			return dbErr(err, "attempt item %d", itemID)
		}
		var a Attempt
		if err := tx.Clauses(forUpdate).First(&a, it.AttemptID).Error; err != nil {
			return dbErr(err, "attempt %d", it.AttemptID)
		}
		if a.Status != StatusInProgress {
			return fmt.Errorf("attempt %d is %s: %w", a.ID, a.Status, ErrConflict)
		}
		if it.SubmittedAt != nil {
			return fmt.Errorf("attempt item %d already submitted: %w", itemID, ErrConflict)
		}
		return dbErr(fn(tx, &it), "attempt item %d", itemID)
	})
}
