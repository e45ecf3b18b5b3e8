package grading

import (
	"fmt"
	"sort"
	"time"
)

// AttemptRow is one graded attempt as the trainee report lists it and the
// scenario report drills down to; it is the row of both CSV exports.
type AttemptRow struct {
	UserID      string
	Team        string
	ExamID      string
	AttemptNo   int
	ScenarioID  string
	FaultClass  string
	VariantSeed int64
	// SubmittedAt is in UTC.
	SubmittedAt time.Time
	Score       float64
	// RootCause is the submitted diagnosis.
	RootCause            string
	RootCauseCorrect     bool
	FirstContactResolved bool
	Fatal                bool
	// HandleSeconds is the handle time in seconds.
	HandleSeconds float64
	// RecoverSeconds is the engine's time to recover in seconds (0: none).
	RecoverSeconds float64
	CSAT           int
}

func attemptRow(r *Result) AttemptRow {
	a, b := &r.Attempt, &r.Breakdown
	return AttemptRow{UserID: a.UserID, Team: a.Team, ExamID: a.ExamID, AttemptNo: a.AttemptNo,
		ScenarioID: a.ScenarioID, FaultClass: r.FaultClass, VariantSeed: a.VariantSeed,
		SubmittedAt: a.SubmittedAt.UTC(), Score: b.Score, RootCause: a.RootCause,
		RootCauseCorrect: b.RootCauseCorrect, FirstContactResolved: b.FirstContactResolved,
		Fatal: b.Fatal, HandleSeconds: b.HandleTime.Seconds(), RecoverSeconds: a.TimeToRecover.Seconds(),
		CSAT: b.CSAT.Rating}
}

func sortAttemptRows(rows []AttemptRow) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		if !a.SubmittedAt.Equal(b.SubmittedAt) {
			return a.SubmittedAt.Before(b.SubmittedAt)
		}
		if a.UserID != b.UserID {
			return a.UserID < b.UserID
		}
		return a.ScenarioID < b.ScenarioID
	})
}

// TraineeReport is one trainee's progress against the targets.
type TraineeReport struct {
	UserID string
	// Team is the team of the trainee's latest attempt.
	Team    string
	Targets Targets
	// Summary covers all attempts, practice and exam, first and later.
	Summary KPIs
	Check   TargetCheck
	// Trend has one point per day with attempts.
	Trend []Period
	// Classes are per fault class, weakest first.
	Classes []ClassRow
	// Attempts are in submission order.
	Attempts []AttemptRow
	// Sittings are the trainee's exam sittings in submission order.
	Sittings []Sitting
}

// TraineeReport builds userID's report in one pass over results. A trainee
// with no results gets an empty report whose figures are all n/a: the user
// exists for the web layer, only the attempts are missing.
func (g *Grader) TraineeReport(results []Result, userID string) (TraineeReport, error) {
	if userID == "" {
		return TraineeReport{}, fmt.Errorf("trainee report: empty user id")
	}
	rep := TraineeReport{UserID: userID, Targets: g.targets, Attempts: []AttemptRow{}}
	var all kpiAcc
	classes := make(map[string]*kpiAcc)
	trend := trendAcc{loc: g.loc, days: make(map[time.Time]*kpiAcc)}
	sittings := make(map[sittingKey]*sittingAcc)
	var latest time.Time
	for i := range results {
		r := &results[i]
		if r.Attempt.UserID != userID {
			continue
		}
		all.add(r)
		accFor(classes, r.FaultClass).add(r)
		trend.add(r)
		g.addSitting(sittings, r)
		rep.Attempts = append(rep.Attempts, attemptRow(r))
		if !r.Attempt.SubmittedAt.Before(latest) {
			latest, rep.Team = r.Attempt.SubmittedAt, r.Attempt.Team
		}
	}
	rep.Summary = all.kpis()
	rep.Check = g.targets.Check(rep.Summary)
	rep.Trend = trend.periods()
	rep.Classes = classRows(classes, g.bands)
	sortAttemptRows(rep.Attempts)
	rep.Sittings = sittingRows(sortedAccs(sittings))
	return rep, nil
}
