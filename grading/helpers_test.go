package grading

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// day0 is the first day of the hand-built data sets.
func day0() time.Time { return time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC) }

// spec is a graded result written by hand: report tests set the figures the
// reports read directly, so the expected values follow from the table alone.
type spec struct {
	user, team, exam string
	no               int
	scenario, class  string
	seed             int64
	day, minute      int
	score, secs      float64
	fcr, fatal       bool
	rating           int
	rootCause        string
}

func (s spec) result() Result {
	sub := day0().Add(time.Duration(s.day)*24*time.Hour + time.Duration(s.minute)*time.Minute)
	handle := time.Duration(s.secs * float64(time.Second))
	return Result{
		Attempt: Attempt{UserID: s.user, Team: s.team, ExamID: s.exam, AttemptNo: s.no, ScenarioID: s.scenario,
			VariantSeed: s.seed, OpenedAt: sub.Add(-handle), SubmittedAt: sub, RootCause: s.rootCause},
		FaultClass: s.class,
		Breakdown: Breakdown{Score: s.score, HandleTime: handle, FirstContactResolved: s.fcr,
			RootCauseCorrect: s.fcr, Fatal: s.fatal, CSAT: CSAT{Rating: s.rating}},
	}
}

func results(specs ...spec) []Result {
	out := make([]Result, len(specs))
	for i, s := range specs {
		out[i] = s.result()
	}
	return out
}

// newTestGrader builds a grader over the hand-made exam "E" (items A and B of
// weight 1, C of weight 2, pass mark 60) and scenario keys A-D.
func newTestGrader(tb testing.TB, opts ...Option) *Grader {
	tb.Helper()
	keys := []AnswerKey{
		{ScenarioID: "A", FaultClass: "network", RootCause: "rc-a"},
		{ScenarioID: "B", FaultClass: "signaling", RootCause: "rc-b"},
		{ScenarioID: "C", FaultClass: "codec", RootCause: "rc-c"},
		{ScenarioID: "D", FaultClass: "network", RootCause: "rc-d"},
	}
	exam := Exam{ID: "E", PassMark: 60, Items: []ExamItem{{ScenarioID: "A"}, {ScenarioID: "B", Weight: 1}, {ScenarioID: "C", Weight: 2}}}
	g, err := NewGrader(append([]Option{WithScenarios(keys...), WithExams(exam)}, opts...)...)
	require.NoError(tb, err)
	return g
}

// requireJSON fails when v holds a NaN or Inf anywhere: encoding/json refuses
// both, so a successful marshal proves none would reach a page.
func requireJSON(tb testing.TB, v any) {
	tb.Helper()
	_, err := json.Marshal(v)
	require.NoError(tb, err)
}
