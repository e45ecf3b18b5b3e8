package grading

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func assertFigure(tb testing.TB, want, got Figure, msg ...any) {
	tb.Helper()
	assert.Equal(tb, want.OK, got.OK, msg...)
	assert.InDelta(tb, want.Value, got.Value, 1e-6, msg...)
}

func TestExamReportFirstAttempts(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.ExamReport(examData(), "E")
	require.NoError(t, err)
	requireJSON(t, rep)
	assert.Equal(t, FirstAttempts, rep.Selection)

	// totals 75, 57.5, 65, 30 (u1's second sitting is not a first attempt).
	require.Len(t, rep.Sittings, 4)
	for i, want := range []struct {
		user   string
		score  float64
		passed bool
	}{{"u1", 75, true}, {"u2", 57.5, false}, {"u3", 65, true}, {"u4", 30, false}} {
		assert.Equal(t, want.user, rep.Sittings[i].UserID)
		assert.InDelta(t, want.score, rep.Sittings[i].Score, 1e-9)
		assert.Equal(t, want.passed, rep.Sittings[i].Passed)
	}
	assertFigure(t, Known(50), rep.PassRate) // 2 of 4
	// sorted 30 57.5 65 75: mean 227.5/4 = 56.875; median (57.5+65)/2 = 61.25;
	// q1 = 30 + 0.75×27.5 = 50.625; q3 = 65 + 0.25×10 = 67.5.
	d := rep.Scores
	assert.Equal(t, 4, d.N)
	assertFigure(t, Known(56.875), d.Mean)
	assertFigure(t, Known(61.25), d.Median)
	assertFigure(t, Known(50.625), d.Q1)
	assertFigure(t, Known(67.5), d.Q3)
	assertFigure(t, Known(30), d.Min)
	assertFigure(t, Known(75), d.Max)
	assert.Equal(t, []int{0, 0, 0, 1, 0, 1, 1, 1, 0, 0}, binCounts(d))

	// Weighted points x = w s / W: A 25, 12.5, 0, 25 (Var 429.6875/4 = 107.421875);
	// B 20, 25, 15, 5 (Var 218.75/4 = 54.6875); C 30, 20, 50, 0 (Var 1300/4 = 325);
	// totals: mean 56.875, Σd² = 328.515625+0.390625+66.015625+722.265625 = 1117.1875,
	// Var 279.296875. alpha = 3/2 × (1 - 487.109375/279.296875) = -1.116083916.
	assertFigure(t, Known(-1.116083916083916), rep.Alpha)

	require.Len(t, rep.Items, 3)
	a, b, c := rep.Items[0], rep.Items[1], rep.Items[2]
	assert.Equal(t, []float64{1, 1, 2}, []float64{a.Weight, b.Weight, c.Weight})
	// Facility = mean item score: A 250/4, B 260/4, C 200/4.
	assertFigure(t, Known(62.5), a.Stats.Facility)
	assertFigure(t, Known(65), b.Stats.Facility)
	assertFigure(t, Known(50), c.Stats.Facility)
	// A vs rest (total - x_A = 50, 45, 65, 5): dx 37.5,-12.5,-62.5,37.5;
	// dy 8.75,3.75,23.75,-36.25; Σdxdy = -2562.5; Σdx² = 6875; Σdy² = 1968.75;
	// r = -2562.5/√13535156.25 = -0.696518.
	assertFigure(t, Known(-69.65178282980882), a.Stats.Discrimination)
	// B vs rest (55, 32.5, 50, 25): dx 15,35,-5,-45; dy 14.375,-8.125,9.375,-15.625;
	// Σdxdy = 587.5; Σdx² = 3500; Σdy² = 604.6875; r = 587.5/√2116406.25 = 0.403839.
	assertFigure(t, Known(40.383908874406586), b.Stats.Discrimination)
	// C vs rest (45, 37.5, 15, 30): dx 10,-10,50,-50; dy 13.125,5.625,-16.875,-1.875;
	// Σdxdy = -675; Σdx² = 5200; Σdy² = 492.1875; r = -675/√2559375 = -0.421927.
	assertFigure(t, Known(-42.19265078446458), c.Stats.Discrimination)
	assert.Equal(t, 4, a.Stats.DiscriminationN)
	// A's times 120, 200, 300, 100: mean 180, median (120+200)/2 = 160; FCR 2/4.
	assertFigure(t, Known(180), a.Stats.MeanSeconds)
	assertFigure(t, Known(160), a.Stats.MedianSeconds)
	assertFigure(t, Known(50), a.Stats.FCR)
	assert.Equal(t, []WrongDiagnosis{{"rc-x", 1, Known(25)}, {"rc-y", 1, Known(25)}}, a.Stats.WrongDiagnoses)
	// B: rc-q twice (u3, u4) of 4 submissions.
	assert.Equal(t, []WrongDiagnosis{{"rc-q", 2, Known(50)}}, b.Stats.WrongDiagnoses)
}

func TestExamReportAllAttempts(t *testing.T) {
	g := newTestGrader(t, WithAllAttempts())
	rep, err := g.ExamReport(examData(), "E")
	require.NoError(t, err)
	assert.Equal(t, AllAttempts, rep.Selection)
	// u1's second sitting scores 100: pass rate 3/5, facility A (250+100)/5 = 70.
	require.Len(t, rep.Sittings, 5)
	assertFigure(t, Known(60), rep.PassRate)
	assertFigure(t, Known(70), rep.Items[0].Stats.Facility)
}

func TestExamReportEdges(t *testing.T) {
	g := newTestGrader(t)
	flat := func(user string) []spec {
		return []spec{
			{user: user, exam: "E", no: 1, scenario: "A", score: 70, secs: 60, rating: 4, rootCause: "rc-a"},
			{user: user, exam: "E", no: 1, scenario: "B", score: 70, secs: 60, rating: 4, rootCause: "rc-b"},
			{user: user, exam: "E", no: 1, scenario: "C", score: 70, secs: 60, rating: 4, rootCause: "rc-c"},
		}
	}
	tests := []struct {
		name     string
		data     []Result
		n        int
		facility Figure
		passRate Figure
	}{
		{"no attempts", nil, 0, Figure{}, Figure{}},
		{"one sitting", results(flat("u1")...), 1, Known(70), Known(100)},
		{"all scores equal", results(append(append(flat("u1"), flat("u2")...), flat("u3")...)...), 3, Known(70), Known(100)},
		// only A submitted: (100 + 0 + 0) / 4 = 25, fail; B and C count 0.
		{"missing items score 0", results(spec{user: "u1", exam: "E", no: 1, scenario: "A", score: 100, secs: 60, rootCause: "rc-a"}), 1, Known(100), Known(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := g.ExamReport(tt.data, "E")
			require.NoError(t, err)
			requireJSON(t, rep)
			assert.Equal(t, tt.n, rep.Scores.N)
			assertFigure(t, tt.passRate, rep.PassRate)
			assertFigure(t, tt.facility, rep.Items[0].Stats.Facility)
			assert.False(t, rep.Alpha.OK, "alpha needs two sittings and varying totals")
			for _, it := range rep.Items {
				assert.False(t, it.Stats.Discrimination.OK, "discrimination needs varying scores")
			}
		})
	}
	t.Run("missing item is n/a in the sitting, 0 in the score", func(t *testing.T) {
		rep, err := g.ExamReport(tests[3].data, "E")
		require.NoError(t, err)
		require.Len(t, rep.Sittings, 1)
		assert.InDelta(t, 25, rep.Sittings[0].Score, 1e-9)
		assert.Equal(t, []Figure{Known(100), {}, {}}, rep.Sittings[0].Items)
		assertFigure(t, Known(0), rep.Items[1].Stats.Facility)
		assert.Equal(t, 0, rep.Items[1].Stats.Submitted)
		assert.False(t, rep.Items[1].Stats.MeanSeconds.OK)
		assert.False(t, rep.Items[1].Stats.FCR.OK)
	})
}

func TestExamReportUnknown(t *testing.T) {
	_, err := newTestGrader(t).ExamReport(examData(), "nope")
	assert.True(t, errors.Is(err, ErrNotFound), err)
}

func TestScoreSitting(t *testing.T) {
	g := newTestGrader(t)
	data := examData()
	s, err := g.ScoreSitting(data[3:6]) // u2: (50 + 100 + 2×40) / 4 = 57.5
	require.NoError(t, err)
	assert.InDelta(t, 57.5, s.Score, 1e-9)
	assert.False(t, s.Passed)
	assert.Equal(t, []Figure{Known(50), Known(100), Known(40)}, s.Items)

	_, err = g.ScoreSitting(data[2:4]) // u1 and u2 mixed
	assert.Error(t, err)
	_, err = g.ScoreSitting(nil)
	assert.Error(t, err)
	_, err = g.ScoreSitting(data[12:13]) // practice: no exam
	assert.True(t, errors.Is(err, ErrNotFound), err)
}

func binCounts(d Distribution) []int {
	out := make([]int, len(d.Bins))
	for i, b := range d.Bins {
		out[i] = b.Count
	}
	return out
}
