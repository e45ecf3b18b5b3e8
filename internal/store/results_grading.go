package store

import (
	"strconv"

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
