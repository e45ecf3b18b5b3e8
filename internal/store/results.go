// Results storage.
//
// Who writes and who reads: the trainee's exam flow stores one result when a
// trainee submits a scenario, right after grading.Grader.Grade (see
// ResultRecordOf): SaveResult, or SubmitGraded, which stores the same row in
// the transaction that closes the attempt item. The manager reports read
// them back with ResultsForGrading (Results plus GradingResults gives the
// same). Reports never regrade: they read the figures stored here.

package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// ResultRecord is one graded scenario attempt: what grading's reports read
// (see grading.Result) plus the ids that tie it to the attempt it came from.
type ResultRecord struct {
	ID uint `gorm:"primaryKey"`
	// AttemptID and AttemptItemID link the result to the exam flow's rows;
	// both are nil for results imported or generated outside it. An item has
	// at most one result.
	AttemptID     *uint
	AttemptItemID *uint
	UserID        uint
	// TeamID is the trainee's team when the attempt was made; SaveResult
	// takes the user's current team when it is nil. Team is that team's
	// current name, filled by Results, so a renamed team keeps its history.
	TeamID *uint
	Team   string `gorm:"-"`
	// ExamID is the exam the attempt belongs to; nil for practice.
	ExamID *uint
	// AttemptNo is the user's sitting number for the exam (for practice: the
	// attempt number for the scenario), 1 for the first. Zero asks SaveResult
	// to work it out.
	AttemptNo   int
	ScenarioID  string
	FaultClass  string
	VariantSeed int64
	SubmittedAt time.Time
	// HandleTime is the attempt's handle time, wrap-up included.
	HandleTime time.Duration `gorm:"column:handle_ns"`
	// TimeToRecover is the engine's fault-onset-to-recovery time (0: none).
	TimeToRecover time.Duration `gorm:"column:recover_ns"`
	// Score is the scenario score in [0, 100].
	Score                float64
	RootCause            string
	RootCauseCorrect     bool
	Resolved             bool
	FirstContactResolved bool
	Fatal                bool
	// CSAT is the simulated customer rating, 1 to 5.
	CSAT      int `gorm:"column:csat"`
	CreatedAt time.Time
}

// TableName pins the table name, which gorm would derive from the type.
func (ResultRecord) TableName() string { return "results" }

// maxAttemptNo is the largest attempt number ResultsForGrading can pack.
const maxAttemptNo = 1<<24 - 1

func validateResult(r ResultRecord) error {
	switch {
	case r.UserID == 0:
		return fmt.Errorf("no user: %w", ErrInvalid)
	case strings.TrimSpace(r.ScenarioID) == "":
		return fmt.Errorf("no scenario: %w", ErrInvalid)
	case strings.ContainsFunc(r.ScenarioID+r.FaultClass, unicode.IsControl):
		return fmt.Errorf("control character in scenario %q or fault class %q: %w", r.ScenarioID, r.FaultClass, ErrInvalid)
	case r.AttemptNo > maxAttemptNo:
		return fmt.Errorf("attempt number %d over %d: %w", r.AttemptNo, maxAttemptNo, ErrInvalid)
	case r.AttemptNo < 0:
		return fmt.Errorf("attempt number %d: %w", r.AttemptNo, ErrInvalid)
	case r.SubmittedAt.IsZero():
		return fmt.Errorf("not submitted: %w", ErrInvalid)
	case r.HandleTime < 0 || r.TimeToRecover < 0:
		return fmt.Errorf("negative handle time %v or time to recover %v: %w", r.HandleTime, r.TimeToRecover, ErrInvalid)
	case math.IsNaN(r.Score) || r.Score < 0 || r.Score > 100:
		return fmt.Errorf("score %v outside [0, 100]: %w", r.Score, ErrInvalid)
	case r.CSAT < 1 || r.CSAT > 5:
		return fmt.Errorf("rating %d outside 1-5: %w", r.CSAT, ErrInvalid)
	}
	return nil
}

// SaveResult stores one graded attempt. With an AttemptItemID it checks the
// item belongs to the user and scenario, and takes the attempt and exam from
// it; a second result for the same item is ErrConflict.
func (s *Store) SaveResult(ctx context.Context, r ResultRecord) error {
	return s.SaveResults(ctx, []ResultRecord{r})
}

// SaveResults stores graded attempts all together or not at all, in order,
// so that attempt numbers worked out for later records count earlier ones.
func (s *Store) SaveResults(ctx context.Context, rs []ResultRecord) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		teams := map[uint]*uint{}
		batch := make([]ResultRecord, 0, min(len(rs), 500))
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := tx.Create(&batch).Error
			batch = batch[:0]
			return err
		}
		if err := s.lockNumbering(tx, rs); err != nil {
			return err
		}
		for i, r := range rs {
			if err := validateResult(r); err != nil {
				return fmt.Errorf("result %d: %w", i, err)
			}
			r.ID = 0
			r.SubmittedAt = dbTime(r.SubmittedAt)
			r.CreatedAt = s.nowUTC()
			if err := s.linkAttempt(tx, &r); err != nil {
				return fmt.Errorf("result %d: %w", i, err)
			}
			if r.TeamID == nil {
				team, ok := teams[r.UserID]
				if !ok {
					var u User
					if err := tx.Select("id", "team_id").First(&u, r.UserID).Error; err != nil {
						return dbErr(err, "result %d: user %d", i, r.UserID)
					}
					team = u.TeamID
					teams[r.UserID] = team
				}
				r.TeamID = team
			}
			if r.AttemptNo == 0 {
				// Numbering reads earlier rows, including this call's.
				if err := flush(); err != nil {
					return err
				}
				n, err := nextAttemptNo(tx, r)
				if err != nil {
					return fmt.Errorf("result %d: attempt number: %w", i, err)
				}
				r.AttemptNo = n
			}
			batch = append(batch, r)
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	return dbErr(err, "save %d result(s)", len(rs))
}

// linkAttempt checks a record against the attempt item it names and fills
// the attempt and exam from it.
func (s *Store) linkAttempt(tx *gorm.DB, r *ResultRecord) error {
	if r.AttemptItemID == nil {
		if r.AttemptID != nil {
			var a Attempt
			if err := tx.First(&a, *r.AttemptID).Error; err != nil {
				return dbErr(err, "attempt %d", *r.AttemptID)
			}
			return checkAttempt(r, a)
		}
		return nil
	}
	var it AttemptItem
	if err := tx.First(&it, *r.AttemptItemID).Error; err != nil {
		return dbErr(err, "attempt item %d", *r.AttemptItemID)
	}
	if it.ScenarioID != r.ScenarioID {
		return fmt.Errorf("attempt item %d is scenario %q, not %q: %w", it.ID, it.ScenarioID, r.ScenarioID, ErrInvalid)
	}
	if r.AttemptID != nil && *r.AttemptID != it.AttemptID {
		return fmt.Errorf("attempt item %d belongs to attempt %d, not %d: %w", it.ID, it.AttemptID, *r.AttemptID, ErrInvalid)
	}
	var a Attempt
	if err := tx.First(&a, it.AttemptID).Error; err != nil {
		return dbErr(err, "attempt %d", it.AttemptID)
	}
	return checkAttempt(r, a)
}

func checkAttempt(r *ResultRecord, a Attempt) error {
	if a.UserID != r.UserID {
		return fmt.Errorf("attempt %d is user %d's, not %d's: %w", a.ID, a.UserID, r.UserID, ErrInvalid)
	}
	if r.ExamID != nil && (a.ExamID == nil || *a.ExamID != *r.ExamID) {
		return fmt.Errorf("attempt %d is not of exam %d: %w", a.ID, *r.ExamID, ErrInvalid)
	}
	id := a.ID
	r.AttemptID, r.ExamID = &id, a.ExamID
	return nil
}

// nextAttemptNo numbers a record: for an exam attempt, the user's n-th
// attempt at that exam (expired ones count: they were sittings too); for an
// exam result without an attempt, one past the user's last; for practice,
// one past the user's practice results on the scenario.
func nextAttemptNo(tx *gorm.DB, r ResultRecord) (int, error) {
	var n int
	var err error
	switch {
	case r.ExamID != nil && r.AttemptID != nil:
		err = tx.Raw(`SELECT COUNT(*) FROM attempts WHERE user_id = ? AND exam_id = ? AND id <= ?`,
			r.UserID, *r.ExamID, *r.AttemptID).Scan(&n).Error
	case r.ExamID != nil:
		err = tx.Raw(`SELECT COALESCE(MAX(attempt_no), 0) + 1 FROM results WHERE user_id = ? AND exam_id = ?`,
			r.UserID, *r.ExamID).Scan(&n).Error
	default:
		err = tx.Raw(`SELECT COUNT(*) + 1 FROM results WHERE user_id = ? AND exam_id IS NULL AND scenario_id = ?`,
			r.UserID, r.ScenarioID).Scan(&n).Error
	}
	return max(n, 1), err
}

// lockNumbering takes the locks of the users whose records SaveResults will
// number, in id order so that two batches cannot wait on each other.
func (s *Store) lockNumbering(tx *gorm.DB, rs []ResultRecord) error {
	var ids []uint
	for _, r := range rs {
		if r.AttemptNo == 0 {
			ids = append(ids, r.UserID)
		}
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if err := s.lockUser(tx, id); err != nil {
			return err
		}
	}
	return nil
}
