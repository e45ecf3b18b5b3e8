package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ResultFilter chooses the results a report reads. Set fields narrow the
// selection; the zero filter selects everything.
type ResultFilter struct {
	// UserIDs keeps the results of these users (empty: everyone's).
	UserIDs []uint
	// TeamID keeps the results made under this team.
	TeamID *uint
	// ScenarioID keeps one scenario's results and ExamIDs those of these
	// exams. When both are set a result matching either is kept, which is
	// what a scenario report needs: its discrimination index reads whole
	// sittings of the exams that contain the scenario.
	ScenarioID string
	ExamIDs    []uint
	// FirstAttempts keeps attempt number 1 only, the item statistics'
	// default selection.
	FirstAttempts bool
}

// resultColumns are read by hand rather than through gorm's reflection:
// the reports load tens of thousands of rows per page.
const resultColumns = `r.id, r.attempt_id, r.attempt_item_id, r.user_id, r.team_id, COALESCE(t.name, ''),
	r.exam_id, r.attempt_no, r.scenario_id, r.fault_class, r.variant_seed, r.submitted_at, r.handle_ns,
	r.recover_ns, r.score, r.root_cause, r.root_cause_correct, r.resolved, r.first_contact_resolved,
	r.fatal, r.csat, r.created_at`

// Results returns the results f selects in submission order.
func (s *Store) Results(ctx context.Context, f ResultFilter) ([]ResultRecord, error) {
	q := f.apply(s.db.WithContext(ctx).Table("results AS r").Select(resultColumns).
		Joins("LEFT JOIN teams AS t ON t.id = r.team_id"))
	rows, err := q.Order("r.submitted_at, r.id").Rows()
	if err != nil {
		return nil, dbErr(err, "results")
	}
	defer rows.Close()
	out := []ResultRecord{}
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr(err, "results")
	}
	return out, nil
}

// apply narrows a query on "results AS r" to the filter.
func (f ResultFilter) apply(q *gorm.DB) *gorm.DB {
	if len(f.UserIDs) > 0 {
		q = q.Where("r.user_id IN ?", f.UserIDs)
	}
	if f.TeamID != nil {
		q = q.Where("r.team_id = ?", *f.TeamID)
	}
	switch {
	case f.ScenarioID != "" && len(f.ExamIDs) > 0:
		q = q.Where("(r.scenario_id = ? OR r.exam_id IN ?)", f.ScenarioID, f.ExamIDs)
	case f.ScenarioID != "":
		q = q.Where("r.scenario_id = ?", f.ScenarioID)
	case len(f.ExamIDs) > 0:
		q = q.Where("r.exam_id IN ?", f.ExamIDs)
	}
	if f.FirstAttempts {
		q = q.Where("r.attempt_no = 1")
	}
	return q
}

func scanResult(rows *sql.Rows) (ResultRecord, error) {
	var r ResultRecord
	var attempt, item, team, exam sql.NullInt64
	var handle, recover int64
	err := rows.Scan(&r.ID, &attempt, &item, &r.UserID, &team, &r.Team, &exam, &r.AttemptNo, &r.ScenarioID,
		&r.FaultClass, &r.VariantSeed, &r.SubmittedAt, &handle, &recover, &r.Score, &r.RootCause,
		&r.RootCauseCorrect, &r.Resolved, &r.FirstContactResolved, &r.Fatal, &r.CSAT, &r.CreatedAt)
	r.AttemptID, r.AttemptItemID, r.TeamID, r.ExamID = nullID(attempt), nullID(item), nullID(team), nullID(exam)
	r.HandleTime, r.TimeToRecover = time.Duration(handle), time.Duration(recover)
	return r, err
}

func nullID(v sql.NullInt64) *uint {
	if !v.Valid {
		return nil
	}
	id := uint(v.Int64)
	return &id
}
