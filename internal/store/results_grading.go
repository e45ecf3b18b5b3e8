package store

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/grading"
)

// GradingID is how a store id appears in grading's inputs and CSV exports
// (user, exam): its decimal form, so an export's user_id column matches the
// account.
func GradingID(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// ResultRecordOf copies the figures of a graded attempt into a record. The
// ids (user, exam, attempt, item, team) are the caller's to set from its own
// rows: grading's are strings.
func ResultRecordOf(res grading.Result) ResultRecord {
	a, b := res.Attempt, res.Breakdown
	return ResultRecord{
		AttemptNo:            a.AttemptNo,
		ScenarioID:           a.ScenarioID,
		FaultClass:           res.FaultClass,
		VariantSeed:          a.VariantSeed,
		SubmittedAt:          a.SubmittedAt,
		HandleTime:           b.HandleTime,
		TimeToRecover:        a.TimeToRecover,
		Score:                b.Score,
		RootCause:            a.RootCause,
		RootCauseCorrect:     b.RootCauseCorrect,
		Resolved:             a.Resolved,
		FirstContactResolved: b.FirstContactResolved,
		Fatal:                b.Fatal,
		CSAT:                 b.CSAT.Rating,
	}
}

// GradingResult rebuilds what grading's reports read from a stored record
// (the fields grading.Result's doc comment lists). The ticket's opening time
// is set so that the attempt's HandleTime is the stored one.
func (r ResultRecord) GradingResult() grading.Result {
	a := grading.Attempt{
		UserID:        GradingID(r.UserID),
		Team:          r.Team,
		AttemptNo:     r.AttemptNo,
		ScenarioID:    r.ScenarioID,
		VariantSeed:   r.VariantSeed,
		OpenedAt:      r.SubmittedAt.Add(-r.HandleTime),
		SubmittedAt:   r.SubmittedAt,
		RootCause:     r.RootCause,
		Resolved:      r.Resolved,
		TimeToRecover: r.TimeToRecover,
	}
	if r.ExamID != nil {
		a.ExamID = GradingID(*r.ExamID)
	}
	return grading.Result{
		Attempt:    a,
		FaultClass: r.FaultClass,
		Breakdown: grading.Breakdown{
			Score:                r.Score,
			RootCauseCorrect:     r.RootCauseCorrect,
			FirstContactResolved: r.FirstContactResolved,
			Fatal:                r.Fatal,
			HandleTime:           r.HandleTime,
			CSAT:                 grading.CSAT{Rating: r.CSAT},
		},
	}
}

// GradingResults converts records for grading's report functions.
func GradingResults(rs []ResultRecord) []grading.Result {
	out := make([]grading.Result, len(rs))
	for i, r := range rs {
		out[i] = r.GradingResult()
	}
	return out
}

// gradingColumns are what grading's reports read and nothing more, packed
// into eight columns: the driver's cost is per column per row (two cgo
// calls each), and a report page reads up to tens of thousands of rows.
// Ids: user | exam << 32; flags: root cause right, resolved, first-contact
// resolved, fatal (bits 0-3), rating (4-7), attempt number (8-31), team
// (32-62); text: scenario, fault class and root cause joined by the unit
// separator, which SaveResults keeps out of the first two. Every part is
// cast to BIGINT: PostgreSQL shifts neither booleans nor, past 32 bits,
// INTEGERs; SQLite's casts change nothing.
func (s *Store) gradingColumns() string {
	const flags = `CAST(r.root_cause_correct AS INTEGER) | (CAST(r.resolved AS INTEGER) << 1)
		| (CAST(r.first_contact_resolved AS INTEGER) << 2) | (CAST(r.fatal AS INTEGER) << 3)`
	return `CAST(r.user_id AS BIGINT) + (CAST(COALESCE(r.exam_id, 0) AS BIGINT) << 32),
	CAST(` + flags + ` AS BIGINT) | (CAST(r.csat AS BIGINT) << 4) | (CAST(r.attempt_no AS BIGINT) << 8)
		| (CAST(COALESCE(r.team_id, 0) AS BIGINT) << 32),
	r.scenario_id || ` + s.chr(31) + ` || r.fault_class || ` + s.chr(31) + ` || r.root_cause,
	r.variant_seed, r.submitted_at, r.handle_ns, r.recover_ns, r.score`
}

// unitSeparator joins the text columns of gradingColumns.
const unitSeparator = "\x1f"

// ResultsForGrading returns the results f selects as grading's report
// functions take them, in submission order: the same figures as
// GradingResults(Results(f)) at a fraction of the cost, for report pages.
func (s *Store) ResultsForGrading(ctx context.Context, f ResultFilter) ([]grading.Result, error) {
	db := s.db.WithContext(ctx)
	var teams []Team
	if err := db.Select("id", "name").Find(&teams).Error; err != nil {
		return nil, dbErr(err, "results for grading: teams")
	}
	teamNames := make(map[uint]string, len(teams))
	for _, t := range teams {
		teamNames[t.ID] = t.Name
	}
	var n int64
	if err := f.apply(db.Table("results AS r")).Count(&n).Error; err != nil {
		return nil, dbErr(err, "results for grading: count")
	}
	rows, err := f.apply(db.Table("results AS r").Select(s.gradingColumns())).Order("r.submitted_at, r.id").Rows()
	if err != nil {
		return nil, dbErr(err, "results for grading")
	}
	defer rows.Close()
	ids := idStrings{}
	out := make([]grading.Result, 0, n)
	for rows.Next() {
		var idBits, flags, handle, recover int64
		var text string
		out = append(out, grading.Result{})
		r := &out[len(out)-1]
		a, b := &r.Attempt, &r.Breakdown
		if err := rows.Scan(&idBits, &flags, &text, &a.VariantSeed, &a.SubmittedAt, &handle, &recover, &b.Score); err != nil {
			return nil, fmt.Errorf("results for grading: %w", err)
		}
		a.UserID = ids.of(uint(idBits & math.MaxUint32))
		if exam := uint(idBits >> 32); exam != 0 {
			a.ExamID = ids.of(exam)
		}
		a.Team = teamNames[uint(flags>>32)]
		parts := strings.SplitN(text, unitSeparator, 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("results for grading: malformed row %q", text)
		}
		a.ScenarioID, r.FaultClass, a.RootCause = parts[0], parts[1], parts[2]
		a.OpenedAt = a.SubmittedAt.Add(-time.Duration(handle))
		a.TimeToRecover, b.HandleTime = time.Duration(recover), time.Duration(handle)
		b.RootCauseCorrect, a.Resolved = flags&1 != 0, flags&2 != 0
		b.FirstContactResolved, b.Fatal = flags&4 != 0, flags&8 != 0
		b.CSAT.Rating, a.AttemptNo = int(flags>>4&0xf), int(flags>>8&0xffffff)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr(err, "results for grading")
	}
	return out, nil
}

// idStrings shares one string per id among the rows of a query.
type idStrings map[uint]string

func (m idStrings) of(id uint) string {
	s, ok := m[id]
	if !ok {
		s = GradingID(id)
		m[id] = s
	}
	return s
}
