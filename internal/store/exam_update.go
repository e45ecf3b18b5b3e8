package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// examFields are the columns a trainer edits; the id, author and creation
// time stay as they were.
func examFields() []string {
	return []string{"title", "description", "mode", "scenario_ids", "tags", "draw_count",
		"time_limit_seconds", "review_policy", "pass_mark", "opens_at", "closes_at", "updated_at"}
}

// UpdateExam replaces an exam's definition and its assignees in one
// transaction. Attempts already started keep the items they drew.
func (s *Store) UpdateExam(ctx context.Context, e Exam, who Assignees) (Exam, error) {
	e.OpensAt, e.ClosesAt = dbTimePtr(e.OpensAt), dbTimePtr(e.ClosesAt)
	if err := validateExam(e); err != nil {
		return Exam{}, fmt.Errorf("update exam %d: %w", e.ID, err)
	}
	if e.ScenarioIDs == nil {
		e.ScenarioIDs = []string{}
	}
	if e.Tags == nil {
		e.Tags = []string{}
	}
	e.UpdatedAt = s.nowUTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Exam{ID: e.ID}).Select(examFields()).Updates(&e)
		if res.Error != nil {
			return dbErr(res.Error, "update exam %d", e.ID)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("update exam %d: %w", e.ID, ErrNotFound)
		}
		if err := tx.Where("exam_id = ?", e.ID).Delete(&examAssignee{}).Error; err != nil {
			return dbErr(err, "unassign exam %d", e.ID)
		}
		return assign(tx, e.ID, who)
	})
	if err != nil {
		return Exam{}, err
	}
	return s.Exam(ctx, e.ID)
}

// ExamExtensions maps each user granted extra time on an exam to the grant.
func (s *Store) ExamExtensions(ctx context.Context, examID uint) (map[uint]time.Duration, error) {
	if _, err := s.Exam(ctx, examID); err != nil {
		return nil, fmt.Errorf("extensions: %w", err)
	}
	var rows []examExtension
	if err := s.db.WithContext(ctx).Where("exam_id = ?", examID).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "extensions of exam %d", examID)
	}
	out := make(map[uint]time.Duration, len(rows))
	for _, r := range rows {
		out[r.UserID] = time.Duration(r.ExtraSeconds) * time.Second
	}
	return out, nil
}

// ReplaceExtraTimes makes grants the exam's whole set of extensions, in one
// transaction: users left out lose theirs. Grants are whole seconds > 0.
func (s *Store) ReplaceExtraTimes(ctx context.Context, examID uint, grants map[uint]time.Duration) error {
	rows := make([]examExtension, 0, len(grants))
	for uid, d := range grants {
		if d < time.Second {
			return fmt.Errorf("extra time %v for user %d on exam %d: %w", d, uid, examID, ErrInvalid)
		}
		rows = append(rows, examExtension{ExamID: examID, UserID: uid, ExtraSeconds: int(d / time.Second)})
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("exam_id = ?", examID).Delete(&examExtension{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.Create(&rows).Error
	})
	return dbErr(err, "replace extra times on exam %d", examID)
}
