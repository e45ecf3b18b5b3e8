package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ActionKind tells remedies (which change the live call) from diagnostic
// tools (which only look at it).
type ActionKind string

// The action kinds.
const (
	ActionRemedy ActionKind = "remedy"
	ActionTool   ActionKind = "tool"
)

// Action is one thing a trainee did on an item's live call, recorded as it
// happens so that grading and a restarted server see the same history.
// Params and Outcome are opaque to the store (typically JSON).
type Action struct {
	ID            uint `gorm:"primaryKey"`
	AttemptItemID uint
	At            time.Time
	OffsetMS      int64
	Kind          ActionKind
	Name          string
	Params        string
	Outcome       string
}

// Offset is where on the call's timeline the action happened.
func (a Action) Offset() time.Duration { return time.Duration(a.OffsetMS) * time.Millisecond }

// RecordAction appends an action to an in-progress item and advances the
// item's timeline offset to it. A zero At means now.
func (s *Store) RecordAction(ctx context.Context, a Action) (Action, error) {
	if a.Kind != ActionRemedy && a.Kind != ActionTool {
		return Action{}, fmt.Errorf("record action on item %d: kind %q: %w", a.AttemptItemID, a.Kind, ErrInvalid)
	}
	if strings.TrimSpace(a.Name) == "" {
		return Action{}, fmt.Errorf("record action on item %d: empty name: %w", a.AttemptItemID, ErrInvalid)
	}
	a.ID = 0
	if a.At.IsZero() {
		a.At = s.nowUTC()
	}
	a.At = dbTime(a.At)
	err := s.inProgressItem(ctx, a.AttemptItemID, func(tx *gorm.DB, _ *AttemptItem) error {
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		return tx.Model(&AttemptItem{}).Where("id = ? AND timeline_offset_ms < ?", a.AttemptItemID, a.OffsetMS).
			Update("timeline_offset_ms", a.OffsetMS).Error
	})
	if err != nil {
		return Action{}, fmt.Errorf("record action %s: %w", a.Name, err)
	}
	return a, nil
}

// Actions lists an item's actions in the order they happened.
func (s *Store) Actions(ctx context.Context, itemID uint) ([]Action, error) {
	var as []Action
	err := s.db.WithContext(ctx).Where("attempt_item_id = ?", itemID).Order("id").Find(&as).Error
	return as, dbErr(err, "actions of item %d", itemID)
}

// Answer is a trainee's diagnosis of an item. It is saved as it is typed
// (one row per item, overwritten), so a restart loses nothing.
type Answer struct {
	AttemptItemID uint `gorm:"primaryKey;autoIncrement:false"`
	RootCause     string
	Evidence      []string `gorm:"serializer:json"`
	CustomerNote  string
	Escalate      bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// SaveAnswer stores the latest draft of an in-progress item's answer.
func (s *Store) SaveAnswer(ctx context.Context, ans Answer) (Answer, error) {
	if ans.Evidence == nil {
		ans.Evidence = []string{}
	}
	now := s.nowUTC()
	ans.CreatedAt, ans.UpdatedAt = now, now
	err := s.inProgressItem(ctx, ans.AttemptItemID, func(tx *gorm.DB, _ *AttemptItem) error {
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "attempt_item_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"root_cause", "evidence", "customer_note", "escalate", "updated_at"}),
		}).Create(&ans).Error
	})
	if err != nil {
		return Answer{}, fmt.Errorf("save answer: %w", err)
	}
	return s.Answer(ctx, ans.AttemptItemID)
}

// Answer returns the saved answer of an item.
func (s *Store) Answer(ctx context.Context, itemID uint) (Answer, error) {
	var a Answer
	err := s.db.WithContext(ctx).Where("attempt_item_id = ?", itemID).First(&a).Error
	return a, dbErr(err, "answer of item %d", itemID)
}
