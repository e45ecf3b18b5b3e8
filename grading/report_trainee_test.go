package grading

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKPIs(t *testing.T) {
	tests := []struct {
		name                         string
		data                         []Result
		attempts                     int
		mean, fcr, aht, csat, rating Figure
		check                        TargetCheck
	}{
		{
			name: "none", check: TargetCheck{StatusNA, StatusNA, StatusNA},
		},
		{
			// FCR 3/4 = 75; AHT (120+180+300+200)/4 = 200 s; CSAT 5,4 of 5,4,2,3 = 50;
			// mean rating 14/4 = 3.5; mean score (90+80+10+60)/4 = 60.
			name: "four",
			data: results(
				spec{user: "u", score: 90, secs: 120, fcr: true, rating: 5},
				spec{user: "u", score: 80, secs: 180, fcr: true, rating: 4},
				spec{user: "u", score: 10, secs: 300, rating: 2},
				spec{user: "u", score: 60, secs: 200, fcr: true, rating: 3},
			),
			attempts: 4, mean: Known(60), fcr: Known(75), aht: Known(200), csat: Known(50), rating: Known(3.5),
			check: TargetCheck{FCR: StatusMissed, AHT: StatusMissed, CSAT: StatusMissed},
		},
		{
			// exactly on target counts as met: FCR 100 >= 85, AHT 180 <= 180, CSAT 100 >= 80.
			name:     "one, on the targets",
			data:     results(spec{user: "u", score: 100, secs: 180, fcr: true, rating: 4}),
			attempts: 1, mean: Known(100), fcr: Known(100), aht: Known(180), csat: Known(100), rating: Known(4),
			check: TargetCheck{FCR: StatusMet, AHT: StatusMet, CSAT: StatusMet},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var acc kpiAcc
			for i := range tt.data {
				acc.add(&tt.data[i])
			}
			k := acc.kpis()
			assert.Equal(t, tt.attempts, k.Attempts)
			assertFigure(t, tt.mean, k.MeanScore)
			assertFigure(t, tt.fcr, k.FCR)
			assertFigure(t, tt.aht, k.AHTSeconds)
			assertFigure(t, tt.csat, k.CSAT)
			assertFigure(t, tt.rating, k.MeanRating)
			assert.Equal(t, tt.check, DefaultTargets().Check(k))
		})
	}
}

func TestTraineeReport(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.TraineeReport(examData(), "u1")
	require.NoError(t, err)
	requireJSON(t, rep)
	assert.Equal(t, "t1", rep.Team)
	// six attempts: scores 100 80 60 100 100 100 → 540/6 = 90; FCR 5/6;
	// handle 120+150+200+90+100+120 = 780 → 130 s; ratings 5 4 3 5 5 5: CSAT 5/6,
	// mean 27/6 = 4.5.
	s := rep.Summary
	assert.Equal(t, 6, s.Attempts)
	assertFigure(t, Known(90), s.MeanScore)
	assertFigure(t, Known(500.0/6), s.FCR)
	assertFigure(t, Known(130), s.AHTSeconds)
	assertFigure(t, Known(500.0/6), s.CSAT)
	assertFigure(t, Known(4.5), s.MeanRating)
	// FCR 83.3 < 85 missed; AHT 130 <= 180 met; CSAT 83.3 >= 80 met.
	assert.Equal(t, TargetCheck{FCR: StatusMissed, AHT: StatusMet, CSAT: StatusMet}, rep.Check)
	assert.False(t, rep.Check.Ready())

	require.Len(t, rep.Trend, 2)
	assert.Equal(t, time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), rep.Trend[0].Start)
	// day 0: (100+80+60)/3 = 80, FCR 2/3, AHT 470/3; day 1: 100, 100 %, 310/3.
	assertFigure(t, Known(80), rep.Trend[0].KPIs.MeanScore)
	assertFigure(t, Known(200.0/3), rep.Trend[0].KPIs.FCR)
	assertFigure(t, Known(470.0/3), rep.Trend[0].KPIs.AHTSeconds)
	assertFigure(t, Known(100), rep.Trend[1].KPIs.FCR)
	assertFigure(t, Known(310.0/3), rep.Trend[1].KPIs.AHTSeconds)

	// two attempts per class, below the 3 the default bands need; codec
	// (60, 100 → 80) is weakest, so it leads.
	require.Len(t, rep.Classes, 3)
	assert.Equal(t, "codec", rep.Classes[0].FaultClass)
	for _, c := range rep.Classes {
		assert.Equal(t, VerdictTooFew, c.Verdict)
	}

	require.Len(t, rep.Attempts, 6)
	assert.Equal(t, "A", rep.Attempts[0].ScenarioID)
	assert.InDelta(t, 120, rep.Attempts[0].HandleSeconds, 1e-9)
	require.Len(t, rep.Sittings, 2)
	assert.InDelta(t, 75, rep.Sittings[0].Score, 1e-9)
	assert.InDelta(t, 100, rep.Sittings[1].Score, 1e-9)
	assert.Equal(t, 2, rep.Sittings[1].AttemptNo)
}

func TestTraineeReportLocation(t *testing.T) {
	// 09:00 and 20:00 UTC are one UTC day, but two days at UTC+8 (17:00 and
	// 04:00 the next morning).
	loc := time.FixedZone("CST", 8*3600)
	g := newTestGrader(t, WithLocation(loc))
	data := results(
		spec{user: "u", minute: 0, score: 10},
		spec{user: "u", minute: 11 * 60, score: 30}, // 20:00 UTC = 04:00 next day CST
	)
	rep, err := g.TraineeReport(data, "u")
	require.NoError(t, err)
	require.Len(t, rep.Trend, 2)
	assert.Equal(t, time.Date(2025, 3, 4, 0, 0, 0, 0, loc), rep.Trend[1].Start)
}

func TestTraineeReportNoAttempts(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.TraineeReport(examData(), "ghost")
	require.NoError(t, err)
	requireJSON(t, rep)
	assert.Equal(t, 0, rep.Summary.Attempts)
	assert.Equal(t, KPIs{}, rep.Summary, "every figure n/a")
	assert.Equal(t, TargetCheck{StatusNA, StatusNA, StatusNA}, rep.Check)
	assert.NotNil(t, rep.Attempts)
	assert.Empty(t, rep.Trend)

	_, err = g.TraineeReport(examData(), "")
	assert.Error(t, err)
}

func TestClassVerdict(t *testing.T) {
	b := DefaultClassBands()
	tests := []struct {
		name     string
		attempts int
		mean     Figure
		want     Verdict
	}{
		{"strong at the band", 3, Known(80), VerdictStrength},
		{"neutral", 3, Known(79.9), VerdictNeutral},
		{"neutral at weak band", 3, Known(60), VerdictNeutral},
		{"weak", 3, Known(59.9), VerdictWeakness},
		{"too few", 2, Known(100), VerdictTooFew},
		{"none", 0, Figure{}, VerdictTooFew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, b.verdict(KPIs{Attempts: tt.attempts, MeanScore: tt.mean}))
		})
	}
}
