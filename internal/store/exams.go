package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Mode is how an exam or attempt treats the trainee.
type Mode string

// Practice shows the explanation after each submission; Exam follows the
// exam's review policy.
const (
	ModePractice Mode = "practice"
	ModeExam     Mode = "exam"
)

// ReviewPolicy says when an exam-mode trainee may see explanations and the
// answer key. The values are those of the scenarios package's exam files.
type ReviewPolicy string

// The review policies: after each submitted item, after the whole attempt
// is submitted, once the exam has closed for everyone, or never.
const (
	ReviewAfterEach   ReviewPolicy = "after_each"
	ReviewAfterSubmit ReviewPolicy = "after_submit"
	ReviewAfterClose  ReviewPolicy = "after_close"
	ReviewNever       ReviewPolicy = "never"
)

// Valid tells whether p is one of the review policies.
func (p ReviewPolicy) Valid() bool {
	switch p {
	case ReviewAfterEach, ReviewAfterSubmit, ReviewAfterClose, ReviewNever:
		return true
	}
	return false
}

// Exam is a trainer's definition: which scenarios (listed, or drawn at
// random from tags), how long, for whom and when.
type Exam struct {
	ID               uint `gorm:"primaryKey"`
	Title            string
	Description      string
	Mode             Mode
	ScenarioIDs      []string `gorm:"serializer:json"`
	Tags             []string `gorm:"serializer:json"`
	DrawCount        int
	TimeLimitSeconds int
	ReviewPolicy     ReviewPolicy
	// PassMark is the share of the maximum score needed to pass, in [0, 1].
	PassMark  float64
	OpensAt   *time.Time
	ClosesAt  *time.Time
	CreatedBy *uint
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TimeLimit is the exam's duration; zero means untimed.
func (e Exam) TimeLimit() time.Duration { return time.Duration(e.TimeLimitSeconds) * time.Second }

// IsOpen tells whether attempts may start at now.
func (e Exam) IsOpen(now time.Time) bool {
	if e.OpensAt != nil && now.Before(*e.OpensAt) {
		return false
	}
	return e.ClosesAt == nil || now.Before(*e.ClosesAt)
}

// ReviewVisible tells whether a trainee may see an item's explanation and
// answer key at now. Practice always reviews each item once submitted; an
// exam follows its policy. Nothing is visible before the item is submitted.
func (e Exam) ReviewVisible(now time.Time, itemSubmitted, attemptFinished bool) bool {
	if !itemSubmitted && !attemptFinished {
		return false
	}
	if e.Mode == ModePractice {
		return true
	}
	switch e.ReviewPolicy {
	case ReviewAfterEach:
		return true
	case ReviewAfterSubmit:
		return attemptFinished
	case ReviewAfterClose:
		return attemptFinished && e.ClosesAt != nil && !now.Before(*e.ClosesAt)
	default:
		return false
	}
}

// Assignees are the users and teams an exam is for.
type Assignees struct {
	UserIDs []uint
	TeamIDs []uint
}

// examAssignee is one row of exam_assignees: exactly one of UserID, TeamID.
type examAssignee struct {
	ID     uint `gorm:"primaryKey"`
	ExamID uint
	UserID *uint
	TeamID *uint
}

// TableName pins the table name, which gorm would derive from the type.
func (examAssignee) TableName() string { return "exam_assignees" }

// examExtension is extra time granted to one user on one exam.
type examExtension struct {
	ExamID       uint `gorm:"primaryKey;autoIncrement:false"`
	UserID       uint `gorm:"primaryKey;autoIncrement:false"`
	ExtraSeconds int
}

// TableName pins the table name, which gorm would derive from the type.
func (examExtension) TableName() string { return "exam_extensions" }

func validateExam(e Exam) error {
	switch {
	case strings.TrimSpace(e.Title) == "":
		return fmt.Errorf("empty title: %w", ErrInvalid)
	case e.Mode != ModePractice && e.Mode != ModeExam:
		return fmt.Errorf("mode %q: %w", e.Mode, ErrInvalid)
	case !e.ReviewPolicy.Valid():
		return fmt.Errorf("review policy %q: %w", e.ReviewPolicy, ErrInvalid)
	case e.ReviewPolicy == ReviewAfterClose && e.ClosesAt == nil:
		return fmt.Errorf("review after close needs a closing date: %w", ErrInvalid)
	case e.PassMark < 0 || e.PassMark > 1:
		return fmt.Errorf("pass mark %v outside [0, 1]: %w", e.PassMark, ErrInvalid)
	case len(e.ScenarioIDs) == 0 && len(e.Tags) == 0:
		return fmt.Errorf("no scenarios or tags: %w", ErrInvalid)
	case e.DrawCount < 0 || e.TimeLimitSeconds < 0:
		return fmt.Errorf("negative draw count or time limit: %w", ErrInvalid)
	case e.OpensAt != nil && e.ClosesAt != nil && !e.ClosesAt.After(*e.OpensAt):
		return fmt.Errorf("closes before it opens: %w", ErrInvalid)
	}
	return nil
}

// CreateExam stores an exam with its assignees in one transaction.
func (s *Store) CreateExam(ctx context.Context, e Exam, who Assignees) (Exam, error) {
	e.OpensAt, e.ClosesAt = dbTimePtr(e.OpensAt), dbTimePtr(e.ClosesAt)
	if err := validateExam(e); err != nil {
		return Exam{}, fmt.Errorf("create exam %q: %w", e.Title, err)
	}
	e.ID = 0
	if e.ScenarioIDs == nil {
		e.ScenarioIDs = []string{}
	}
	if e.Tags == nil {
		e.Tags = []string{}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&e).Error; err != nil {
			return dbErr(err, "create exam %q", e.Title)
		}
		return assign(tx, e.ID, who)
	})
	if err != nil {
		return Exam{}, err
	}
	return e, nil
}

// Exam returns the exam with the given id.
func (s *Store) Exam(ctx context.Context, id uint) (Exam, error) {
	var e Exam
	err := s.db.WithContext(ctx).First(&e, id).Error
	return e, dbErr(err, "exam %d", id)
}

// Exams lists every exam, newest first.
func (s *Store) Exams(ctx context.Context) ([]Exam, error) {
	var es []Exam
	err := s.db.WithContext(ctx).Order("id DESC").Find(&es).Error
	return es, dbErr(err, "list exams")
}

// ExamAssignees returns who an exam is assigned to.
func (s *Store) ExamAssignees(ctx context.Context, examID uint) (Assignees, error) {
	if _, err := s.Exam(ctx, examID); err != nil {
		return Assignees{}, fmt.Errorf("assignees: %w", err)
	}
	var rows []examAssignee
	if err := s.db.WithContext(ctx).Where("exam_id = ?", examID).Order("id").Find(&rows).Error; err != nil {
		return Assignees{}, dbErr(err, "assignees of exam %d", examID)
	}
	var a Assignees
	for _, r := range rows {
		if r.UserID != nil {
			a.UserIDs = append(a.UserIDs, *r.UserID)
		} else if r.TeamID != nil {
			a.TeamIDs = append(a.TeamIDs, *r.TeamID)
		}
	}
	return a, nil
}

// AssignedExams lists the exams assigned to a user directly or through the
// user's team, by opening date.
func (s *Store) AssignedExams(ctx context.Context, userID uint) ([]Exam, error) {
	var es []Exam
	err := s.db.WithContext(ctx).
		Where(`id IN (SELECT a.exam_id FROM exam_assignees a WHERE a.user_id = ?
			OR a.team_id = (SELECT team_id FROM users WHERE id = ?))`, userID, userID).
		Order("opens_at IS NULL, opens_at, id").Find(&es).Error
	return es, dbErr(err, "exams assigned to user %d", userID)
}

// SetExtraTime grants a user extra time on an exam, replacing any earlier
// grant; zero removes it.
func (s *Store) SetExtraTime(ctx context.Context, examID, userID uint, extra time.Duration) error {
	if extra < 0 {
		return fmt.Errorf("extra time %v for user %d on exam %d: %w", extra, userID, examID, ErrInvalid)
	}
	db := s.db.WithContext(ctx)
	if extra == 0 {
		err := db.Where("exam_id = ? AND user_id = ?", examID, userID).Delete(&examExtension{}).Error
		return dbErr(err, "remove extra time for user %d on exam %d", userID, examID)
	}
	row := examExtension{ExamID: examID, UserID: userID, ExtraSeconds: int(extra / time.Second)}
	err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "exam_id"}, {Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"extra_seconds"}),
	}).Create(&row).Error
	return dbErr(err, "set extra time for user %d on exam %d", userID, examID)
}

// ExtraTime returns the extra time a user has on an exam. No grant is a
// zero duration, not an error: every user has an extension, most of them
// empty.
func (s *Store) ExtraTime(ctx context.Context, examID, userID uint) (time.Duration, error) {
	var rows []examExtension
	err := s.db.WithContext(ctx).Where("exam_id = ? AND user_id = ?", examID, userID).Limit(1).Find(&rows).Error
	if err != nil {
		return 0, dbErr(err, "extra time for user %d on exam %d", userID, examID)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	return time.Duration(rows[0].ExtraSeconds) * time.Second, nil
}

// assign records an exam's assignees inside the caller's transaction; it
// serves both creating and updating an exam.
func assign(tx *gorm.DB, examID uint, who Assignees) error {
	rows := make([]examAssignee, 0, len(who.UserIDs)+len(who.TeamIDs))
	for _, id := range who.UserIDs {
		rows = append(rows, examAssignee{ExamID: examID, UserID: &id})
	}
	for _, id := range who.TeamIDs {
		rows = append(rows, examAssignee{ExamID: examID, TeamID: &id})
	}
	if len(rows) == 0 {
		return nil
	}
	return dbErr(tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error, "assign exam %d", examID)
}
