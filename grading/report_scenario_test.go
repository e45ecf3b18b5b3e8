package grading

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScenarioReportFirstAttempts(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.ScenarioReport(examData(), "A")
	require.NoError(t, err)
	requireJSON(t, rep)
	assert.Equal(t, "network", rep.FaultClass)
	assert.Equal(t, "rc-a", rep.RootCause)

	// First attempts of A: u1 100, u2 50, u3 0, u4 100 (exam) and u5 40 (practice).
	o := rep.Overall
	assert.Equal(t, 5, o.N)
	assert.Equal(t, 5, o.Submitted)
	assertFigure(t, Known(58), o.Facility) // 290 / 5
	// Discrimination pools the 4 exam sittings (practice has no rest); rest as
	// a percent of the rest's weight is the exam report's rest × 4/3, and r is
	// scale-free, so it equals the exam report's -69.65.
	assert.Equal(t, 4, o.DiscriminationN)
	assertFigure(t, Known(-69.65178282980882), o.Discrimination)
	// times 120, 200, 300, 100, 150: mean 870/5 = 174; median 150.
	assertFigure(t, Known(174), o.MeanSeconds)
	assertFigure(t, Known(150), o.MedianSeconds)
	assertFigure(t, Known(40), o.FCR) // u1, u4 of 5
	assert.Equal(t, []WrongDiagnosis{{"rc-x", 2, Known(40)}, {"rc-y", 1, Known(20)}}, o.WrongDiagnoses)

	require.Len(t, rep.Variants, 2)
	v1, v2 := rep.Variants[0], rep.Variants[1]
	assert.Equal(t, int64(1), v1.Seed)
	// seed 1: u1 100, u2 50, u5 40: facility 190/3; two sittings pair
	// (100, 50×4/3) and (50, 45×4/3): both rise together, r = +1.
	assert.Equal(t, 3, v1.Stats.N)
	assertFigure(t, Known(190.0/3), v1.Stats.Facility)
	assertFigure(t, Known(100), v1.Stats.Discrimination)
	assertFigure(t, Known(470.0/3), v1.Stats.MeanSeconds) // (120 + 200 + 150) / 3
	assertFigure(t, Known(100.0/3), v1.Stats.FCR)
	// seed 2: u3 0 (rest 65×4/3), u4 100 (rest 5×4/3): r = -1.
	assert.Equal(t, int64(2), v2.Seed)
	assertFigure(t, Known(50), v2.Stats.Facility)
	assertFigure(t, Known(-100), v2.Stats.Discrimination)
	assertFigure(t, Known(200), v2.Stats.MedianSeconds) // (300 + 100) / 2

	require.Len(t, rep.Submissions, 5)
	users := []string{}
	for _, s := range rep.Submissions {
		users = append(users, s.UserID)
	}
	assert.Equal(t, []string{"u1", "u2", "u3", "u4", "u5"}, users, "submission order")
}

func TestScenarioReportAllAttempts(t *testing.T) {
	g := newTestGrader(t, WithAllAttempts())
	rep, err := g.ScenarioReport(examData(), "A")
	require.NoError(t, err)
	o := rep.Overall
	assert.Equal(t, 6, o.N)
	assertFigure(t, Known(65), o.Facility) // (290 + 100) / 6
	// Adds u1's second sitting (100, rest (100 + 2×100)/3 = 100). x: 100 50 0 100
	// 100, mean 70, dx 30 -20 -70 30 30; rest 200/3 60 260/3 20/3 100, mean 64,
	// dy 8/3 -4 68/3 -172/3 36; Σdxdy = 80 + 80 - 4760/3 - 1720 + 1080 = -6200/3;
	// Σdx² = 8000; Σdy² = 64/9 + 16 + 4624/9 + 29584/9 + 1296 = 5120;
	// r = (-6200/3) / √(8000 × 5120) = -2066.67 / 6400 = -0.3229167.
	assertFigure(t, Known(-32.29166666666667), o.Discrimination)
	require.Len(t, rep.Variants, 3)
	assert.Equal(t, 1, rep.Variants[2].Stats.N)
	assertFigure(t, Known(100), rep.Variants[2].Stats.Facility)
	assert.False(t, rep.Variants[2].Stats.Discrimination.OK, "one sitting: n/a")
}

func TestScenarioReportEdges(t *testing.T) {
	g := newTestGrader(t)
	t.Run("no attempts", func(t *testing.T) {
		rep, err := g.ScenarioReport(examData(), "D")
		require.NoError(t, err)
		requireJSON(t, rep)
		assert.Equal(t, 0, rep.Overall.N)
		for _, f := range []Figure{rep.Overall.Facility, rep.Overall.Discrimination, rep.Overall.MeanSeconds,
			rep.Overall.MedianSeconds, rep.Overall.FCR} {
			assert.False(t, f.OK)
		}
		assert.Empty(t, rep.Variants)
		assert.NotNil(t, rep.Submissions)
		assert.NotNil(t, rep.Overall.WrongDiagnoses)
	})
	t.Run("one attempt", func(t *testing.T) {
		rep, err := g.ScenarioReport(results(spec{user: "u1", scenario: "D", no: 1, score: 80, secs: 90, rootCause: "rc-d"}), "D")
		require.NoError(t, err)
		assertFigure(t, Known(80), rep.Overall.Facility)
		assertFigure(t, Known(90), rep.Overall.MedianSeconds)
		assert.False(t, rep.Overall.Discrimination.OK)
		assert.Empty(t, rep.Overall.WrongDiagnoses)
	})
	t.Run("unknown scenario", func(t *testing.T) {
		_, err := g.ScenarioReport(examData(), "nope")
		assert.True(t, errors.Is(err, ErrNotFound), err)
	})
	t.Run("top wrong diagnoses cut", func(t *testing.T) {
		g := newTestGrader(t, WithTopWrongDiagnoses(1))
		rep, err := g.ScenarioReport(examData(), "A")
		require.NoError(t, err)
		assert.Equal(t, []WrongDiagnosis{{"rc-x", 2, Known(40)}}, rep.Overall.WrongDiagnoses)
	})
}
