package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SubmitGraded closes an in-progress item with its graded result, in one
// transaction so that an item is never submitted without the result the
// reports read, nor graded twice:
//
//   - attempt_items: submitted_at = r.SubmittedAt, score = r.Score / 100
//     (the 0-1 share attempts and pass marks use), report = report (the web
//     layer stores grading's whole Breakdown there as JSON, for the result
//     page; the reports never parse it);
//   - results: one row with the figures (see ResultRecord), its attempt,
//     exam, team and attempt number filled in from the item as SaveResult
//     does.
//
// The item must belong to r.UserID and r.ScenarioID; a second submission is
// ErrConflict, like any write to a submitted item or a finished attempt.
func (s *Store) SubmitGraded(ctx context.Context, itemID uint, r ResultRecord, report string) (ResultRecord, error) {
	if err := validateResult(r); err != nil {
		return ResultRecord{}, fmt.Errorf("submit item %d: %w", itemID, err)
	}
	r.ID = 0
	r.AttemptItemID, r.AttemptID = &itemID, nil
	r.SubmittedAt = dbTime(r.SubmittedAt)
	r.CreatedAt = s.nowUTC()
	err := s.inProgressItem(ctx, itemID, func(tx *gorm.DB, it *AttemptItem) error {
		if it.OpenedAt == nil {
			return fmt.Errorf("item %d was never opened: %w", itemID, ErrInvalid)
		}
		if err := s.linkAttempt(tx, &r); err != nil {
			return err
		}
		if r.TeamID == nil {
			var u User
			if err := tx.Select("id", "team_id").First(&u, r.UserID).Error; err != nil {
				return err
			}
			r.TeamID = u.TeamID
		}
		if r.AttemptNo == 0 {
			if err := s.lockUser(tx, r.UserID); err != nil {
				return err
			}
			n, err := nextAttemptNo(tx, r)
			if err != nil {
				return fmt.Errorf("attempt number: %w", err)
			}
			r.AttemptNo = n
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		share := r.Score / 100
		return tx.Model(&AttemptItem{}).Where("id = ?", itemID).Updates(map[string]any{
			"submitted_at": r.SubmittedAt, "score": share, "report": report,
		}).Error
	})
	if err != nil {
		return ResultRecord{}, fmt.Errorf("submit: %w", err)
	}
	return r, nil
}

// AttemptItem returns one item of an attempt by its position, the way pages
// address items (ids would let a trainee guess at other attempts' items).
func (s *Store) AttemptItem(ctx context.Context, attemptID uint, position int) (AttemptItem, error) {
	var it AttemptItem
	err := s.db.WithContext(ctx).Where("attempt_id = ? AND position = ?", attemptID, position).First(&it).Error
	return it, dbErr(err, "item %d of attempt %d", position, attemptID)
}

// ItemResult returns the stored result of a submitted item.
func (s *Store) ItemResult(ctx context.Context, itemID uint) (ResultRecord, error) {
	var r ResultRecord
	err := s.db.WithContext(ctx).Where("attempt_item_id = ?", itemID).First(&r).Error
	return r, dbErr(err, "result of item %d", itemID)
}

// Expired tells whether an in-progress attempt's deadline has passed at now;
// untimed and finished attempts never expire.
func (a Attempt) Expired(now time.Time) bool {
	return a.Status == StatusInProgress && a.Deadline != nil && !now.Before(*a.Deadline)
}
