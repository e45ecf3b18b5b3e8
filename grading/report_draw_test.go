package grading

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// drawExam is exam "R": items A-D of weight 1, each sitting draws draw of
// them, pass mark 60.
func drawExam(draw int) Exam {
	return Exam{ID: "R", PassMark: 60, Draw: draw,
		Items: []ExamItem{{ScenarioID: "A"}, {ScenarioID: "B"}, {ScenarioID: "C"}, {ScenarioID: "D"}}}
}

// fixedExam is newTestGrader's exam "E" (A and B weight 1, C weight 2, pass
// mark 60) with the given draw.
func fixedExam(draw int) Exam {
	return Exam{ID: "E", PassMark: 60, Draw: draw,
		Items: []ExamItem{{ScenarioID: "A"}, {ScenarioID: "B", Weight: 1}, {ScenarioID: "C", Weight: 2}}}
}

func newDrawGrader(tb testing.TB, exams ...Exam) *Grader {
	tb.Helper()
	keys := []AnswerKey{
		{ScenarioID: "A", RootCause: "rc-a"}, {ScenarioID: "B", RootCause: "rc-b"},
		{ScenarioID: "C", RootCause: "rc-c"}, {ScenarioID: "D", RootCause: "rc-d"},
	}
	g, err := NewGrader(WithScenarios(keys...), WithExams(exams...))
	require.NoError(tb, err)
	return g
}

// got is a submitted item: its scenario and score.
type got struct {
	scenario string
	score    float64
}

// sittingResults builds a first sitting of exam by user whose results all
// share drawn as Attempt.Drawn (nil: the draw was not recorded), submitted
// from minute on, one minute apart.
func sittingResults(exam, user string, minute int, drawn []string, items ...got) []Result {
	out := make([]Result, 0, len(items))
	for k, it := range items {
		r := spec{user: user, exam: exam, no: 1, scenario: it.scenario, minute: minute + k, score: it.score,
			secs: 60, rootCause: "rc-" + strings.ToLower(it.scenario)}.result()
		r.Attempt.Drawn = drawn
		out = append(out, r)
	}
	return out
}

func TestExamReportDrawTwoOfFour(t *testing.T) {
	g := newDrawGrader(t, drawExam(2))
	const T, F = true, false
	sittings := []struct {
		user      string
		drawn     []string
		items     []got
		score     float64
		passed    bool
		wantDrawn []bool
		wantItems []Figure
	}{
		// drew A, B: (80 + 60) / 2 = 70; counting the pool, it was (80 + 60 + 0 + 0) / 4 = 35.
		{"u1", []string{"A", "B"}, []got{{"A", 80}, {"B", 60}}, 70, true, []bool{T, T, F, F}, []Figure{Known(80), Known(60), {}, {}}},
		// drew A, C: (40 + 100) / 2 = 70.
		{"u2", []string{"A", "C"}, []got{{"A", 40}, {"C", 100}}, 70, true, []bool{T, F, T, F}, []Figure{Known(40), {}, Known(100), {}}},
		// drew B, D: (20 + 50) / 2 = 35.
		{"u3", []string{"B", "D"}, []got{{"B", 20}, {"D", 50}}, 35, false, []bool{F, T, F, T}, []Figure{{}, Known(20), {}, Known(50)}},
		// draw not recorded: the results are the draw, C and D: (90 + 10) / 2 = 50.
		{"u4", nil, []got{{"C", 90}, {"D", 10}}, 50, false, []bool{F, F, T, T}, []Figure{{}, {}, Known(90), Known(10)}},
		// drew A, B: (100 + 90) / 2 = 95.
		{"u5", []string{"A", "B"}, []got{{"A", 100}, {"B", 90}}, 95, true, []bool{T, T, F, F}, []Figure{Known(100), Known(90), {}, {}}},
	}
	var data []Result
	for i, s := range sittings {
		data = append(data, sittingResults("R", s.user, 10*i, s.drawn, s.items...)...)
	}
	rep, err := g.ExamReport(data, "R")
	require.NoError(t, err)
	requireJSON(t, rep)
	require.Len(t, rep.Sittings, len(sittings))
	for i, want := range sittings {
		t.Run("sitting "+want.user, func(t *testing.T) {
			s := rep.Sittings[i]
			assert.Equal(t, want.user, s.UserID)
			assert.InDelta(t, want.score, s.Score, 1e-9)
			assert.Equal(t, want.passed, s.Passed)
			assert.Equal(t, want.wantDrawn, s.Drawn)
			assert.Equal(t, want.wantItems, s.Items)
			alone, err := g.ScoreSitting(sittingResults("R", want.user, 0, want.drawn, want.items...))
			require.NoError(t, err)
			assert.InDelta(t, want.score, alone.Score, 1e-9)
			assert.Equal(t, want.wantDrawn, alone.Drawn)
		})
	}

	// 3 of 5 pass; scores 35 50 70 70 95: mean 320 / 5 = 64, median 70.
	assertFigure(t, Known(60), rep.PassRate)
	assertFigure(t, Known(64), rep.Scores.Mean)
	assertFigure(t, Known(70), rep.Scores.Median)
	assert.True(t, rep.DrawsDiffer)
	assert.False(t, rep.Alpha.OK, "draws differ: no complete person × item matrix")

	items := []struct {
		id       string
		n        int
		facility Figure
		disc     Figure
	}{
		// A in u1, u2, u5: scores 80, 40, 100 (mean 220/3); rests B 60, C 100,
		// B 90 (mean 250/3). dx 20/3, -100/3, 80/3; dy -70/3, 50/3, 20/3;
		// Σdxdy = -4800/9, Σdx² = 16800/9, Σdy² = 7800/9;
		// r = -4800 / √(16800 × 7800) = -0.419314.
		{"A", 3, Known(220.0 / 3), Known(-41.931393468876735)},
		// B in u1, u3, u5: 60, 20, 90 (mean 170/3); rests 80, 50, 100 (mean
		// 230/3). dx 10/3, -110/3, 100/3; dy 10/3, -80/3, 70/3; Σdxdy =
		// 15900/9, Σdx² = 22200/9, Σdy² = 11400/9; r = 15900 / √(22200 × 11400).
		{"B", 3, Known(170.0 / 3), Known(99.94664294862463)},
		// C in u2 (100, rest 40), u4 (90, rest 10): both rise together, r = +1.
		{"C", 2, Known(95), Known(100)},
		// D in u3 (50, rest 20), u4 (10, rest 90): r = -1.
		{"D", 2, Known(30), Known(-100)},
	}
	for i, want := range items {
		t.Run("item "+want.id, func(t *testing.T) {
			st := rep.Items[i].Stats
			assert.Equal(t, want.id, rep.Items[i].ScenarioID)
			assert.Equal(t, want.n, st.N, "sittings that drew it")
			assert.Equal(t, want.n, st.Submitted)
			assert.Equal(t, want.n, st.DiscriminationN)
			assertFigure(t, want.facility, st.Facility)
			assertFigure(t, want.disc, st.Discrimination)
		})
	}

	t.Run("scenario report pools the same rests", func(t *testing.T) {
		sr, err := g.ScenarioReport(data, "A")
		require.NoError(t, err)
		assert.Equal(t, 3, sr.Overall.DiscriminationN)
		assertFigure(t, Known(-41.931393468876735), sr.Overall.Discrimination)
	})
}

func TestExamReportDrawnNotSubmitted(t *testing.T) {
	g := newDrawGrader(t, drawExam(2), fixedExam(0))
	const T, F = true, false
	tests := []struct {
		name   string
		exam   string
		drawn  []string
		items  []got
		score  float64
		want   []bool
		n      []int
		fac    []Figure
		cells  []string
		passed bool
	}{
		// drew A, B, submitted A: (80 + 0) / 2 = 40.
		{"listed item not submitted scores 0", "R", []string{"A", "B"}, []got{{"A", 80}}, 40,
			[]bool{T, T, F, F}, []int{1, 1, 0, 0}, []Figure{Known(80), Known(0), {}, {}}, []string{"80", "n/a", "", ""}, false},
		// no list: only A is known to be drawn: 80 / 1 = 80.
		{"no list: the submitted items are the draw", "R", nil, []got{{"A", 80}}, 80,
			[]bool{T, F, F, F}, []int{1, 0, 0, 0}, []Figure{Known(80), {}, {}, {}}, []string{"80", "", "", ""}, true},
		// Z left the pool: drawn {A}, 80 / 1 = 80.
		{"listed id outside the exam is ignored", "R", []string{"A", "Z"}, []got{{"A", 80}}, 80,
			[]bool{T, F, F, F}, []int{1, 0, 0, 0}, []Figure{Known(80), {}, {}, {}}, []string{"80", "", "", ""}, true},
		// a result proves its item was drawn: {A} ∪ {B, C}: (80 + 0 + 0) / 3.
		{"result outside its list counts as drawn", "R", []string{"B", "C"}, []got{{"A", 80}}, 80.0 / 3,
			[]bool{T, T, T, F}, []int{1, 1, 1, 0}, []Figure{Known(80), Known(0), Known(0), {}}, []string{"80", "n/a", "n/a", ""}, false},
		// fixed exam, no list: every item drawn, (100 + 1×0 + 2×0) / 4 = 25, as before.
		{"fixed exam counts every item", "E", nil, []got{{"A", 100}}, 25,
			[]bool{T, T, T}, []int{1, 1, 1}, []Figure{Known(100), Known(0), Known(0)}, []string{"100", "n/a", "n/a"}, false},
		// a list wins in a fixed exam too: {A, C}, (100 + 2×0) / 3.
		{"fixed exam honours a list", "E", []string{"A", "C"}, []got{{"A", 100}}, 100.0 / 3,
			[]bool{T, F, T}, []int{1, 0, 1}, []Figure{Known(100), {}, Known(0)}, []string{"100", "", "n/a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := sittingResults(tt.exam, "u1", 0, tt.drawn, tt.items...)
			s, err := g.ScoreSitting(data)
			require.NoError(t, err)
			assert.InDelta(t, tt.score, s.Score, 1e-9)
			assert.Equal(t, tt.passed, s.Passed)
			assert.Equal(t, tt.want, s.Drawn)

			rep, err := g.ExamReport(data, tt.exam)
			require.NoError(t, err)
			requireJSON(t, rep)
			require.Len(t, rep.Sittings, 1)
			assert.Equal(t, s, rep.Sittings[0])
			for i, it := range rep.Items {
				assert.Equal(t, tt.n[i], it.Stats.N, it.ScenarioID)
				assertFigure(t, tt.fac[i], it.Stats.Facility, it.ScenarioID)
			}

			var buf bytes.Buffer
			require.NoError(t, rep.WriteCSV(&buf))
			recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, 2)
			fixed := len(strings.Split(SittingsCSVHeader, ","))
			assert.Equal(t, tt.cells, recs[1][fixed:], "not drawn is empty, drawn and unsubmitted n/a")
			_, back, err := ParseSittingsCSV(&buf)
			require.NoError(t, err)
			assert.Equal(t, rep.Sittings, back)
		})
	}
}

func TestWriteSittingsCSVRejectsScoredUndrawn(t *testing.T) {
	rows := []Sitting{{UserID: "u1", ExamID: "R", AttemptNo: 1, Items: []Figure{Known(80)}, Drawn: []bool{false}}}
	assert.Error(t, WriteSittingsCSV(&bytes.Buffer{}, []string{"A"}, rows))
	rows[0].Drawn = []bool{true, false}
	assert.Error(t, WriteSittingsCSV(&bytes.Buffer{}, []string{"A"}, rows), "drawn does not align")
}
