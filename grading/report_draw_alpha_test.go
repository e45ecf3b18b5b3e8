package grading

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExamReportFixedUnchanged checks that every way of saying "each sitting
// got every item" gives the figures TestExamReportFirstAttempts computed by
// hand before exams could draw.
func TestExamReportFixedUnchanged(t *testing.T) {
	listAll := func(rs []Result) []Result {
		all := []string{"A", "B", "C"}
		for i := range rs {
			if rs[i].Attempt.ExamID != "" {
				rs[i].Attempt.Drawn = all
			}
		}
		return rs
	}
	tests := []struct {
		name string
		exam Exam
		data []Result
	}{
		{"draw 0", fixedExam(0), examData()},
		{"draw equals the pool", fixedExam(3), examData()},
		{"draw above the pool (pool shrank)", fixedExam(5), examData()},
		{"every item listed as drawn", fixedExam(0), listAll(examData())},
		{"drawing exam whose sittings all list every item", fixedExam(2), listAll(examData())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := newDrawGrader(t, tt.exam).ExamReport(tt.data, "E")
			require.NoError(t, err)
			require.Len(t, rep.Sittings, 4)
			// (100 + 80 + 2×60) / 4 = 75, (50 + 100 + 80) / 4 = 57.5, (0 + 60 + 200) / 4 = 65, (100 + 20 + 0) / 4 = 30.
			for i, want := range []float64{75, 57.5, 65, 30} {
				assert.InDelta(t, want, rep.Sittings[i].Score, 1e-9)
				assert.Equal(t, []bool{true, true, true}, rep.Sittings[i].Drawn)
			}
			assertFigure(t, Known(50), rep.PassRate)
			assert.False(t, rep.DrawsDiffer)
			// alpha = 3/2 × (1 - 487.109375/279.296875), see TestExamReportFirstAttempts.
			assertFigure(t, Known(-1.116083916083916), rep.Alpha)
			want := []struct {
				facility, disc float64
			}{{62.5, -69.65178282980882}, {65, 40.383908874406586}, {50, -42.19265078446458}}
			for j, w := range want {
				st := rep.Items[j].Stats
				assert.Equal(t, 4, st.N)
				assert.Equal(t, 4, st.DiscriminationN)
				assertFigure(t, Known(w.facility), st.Facility)
				assertFigure(t, Known(w.disc), st.Discrimination)
			}
		})
	}
}

func TestExamReportDrawAlpha(t *testing.T) {
	ab := []string{"A", "B"}
	tests := []struct {
		name   string
		data   [][]Result
		alpha  Figure
		differ bool
	}{
		// x = s/2: A 40, 20, 50 (Var 1400/9); B 20, 30, 40 (Var 600/9);
		// totals 60, 50, 90 (Var 2600/9): alpha = 2 × (1 - 2000/2600) = 6/13.
		{"same draw in every sitting", [][]Result{
			sittingResults("R", "u1", 0, ab, got{"A", 80}, got{"B", 40}),
			sittingResults("R", "u2", 10, ab, got{"A", 40}, got{"B", 60}),
			sittingResults("R", "u3", 20, ab, got{"A", 100}, got{"B", 80}),
		}, Known(6.0 / 13), false},
		{"same draw, not recorded", [][]Result{
			sittingResults("R", "u1", 0, nil, got{"A", 80}, got{"B", 40}),
			sittingResults("R", "u2", 10, nil, got{"A", 40}, got{"B", 60}),
			sittingResults("R", "u3", 20, nil, got{"A", 100}, got{"B", 80}),
		}, Known(6.0 / 13), false},
		// u1's B drawn, not submitted, enters as 0: B 0, 30, 40 (Var 2600/9);
		// totals 40, 50, 90 (Var 4200/9): alpha = 2 × (1 - 4000/4200) = 2/21.
		{"drawn item not submitted enters as 0", [][]Result{
			sittingResults("R", "u1", 0, ab, got{"A", 80}),
			sittingResults("R", "u2", 10, ab, got{"A", 40}, got{"B", 60}),
			sittingResults("R", "u3", 20, ab, got{"A", 100}, got{"B", 80}),
		}, Known(2.0 / 21), false},
		// u3 drew C instead of B: no complete matrix, alpha n/a.
		{"draws differ", [][]Result{
			sittingResults("R", "u1", 0, ab, got{"A", 80}, got{"B", 40}),
			sittingResults("R", "u2", 10, ab, got{"A", 40}, got{"B", 60}),
			sittingResults("R", "u3", 20, []string{"A", "C"}, got{"A", 100}, got{"C", 80}),
		}, Figure{}, true},
	}
	g := newDrawGrader(t, drawExam(2))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var data []Result
			for _, s := range tt.data {
				data = append(data, s...)
			}
			rep, err := g.ExamReport(data, "R")
			require.NoError(t, err)
			requireJSON(t, rep)
			assert.Equal(t, tt.differ, rep.DrawsDiffer)
			assertFigure(t, tt.alpha, rep.Alpha)
		})
	}
}

func TestExamNegativeDraw(t *testing.T) {
	_, err := NewGrader(WithScenarios(AnswerKey{ScenarioID: "A", RootCause: "rc-a"}),
		WithExams(Exam{ID: "X", PassMark: 50, Draw: -1, Items: []ExamItem{{ScenarioID: "A"}}}))
	assert.Error(t, err)
}
