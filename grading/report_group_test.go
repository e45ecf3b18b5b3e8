package grading

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTeamReport(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.TeamReport(examData(), "t1")
	require.NoError(t, err)
	requireJSON(t, rep)
	// u1: 6 attempts (540 points, 5 FCR, 780 s, 5 satisfied, ratings 27);
	// u2: 3 attempts (50+100+40 = 190, 1 FCR, 200+100+250 = 550 s, 1 satisfied, 3+5+2 = 10).
	s := rep.Summary
	assert.Equal(t, 9, s.Attempts)
	assertFigure(t, Known(730.0/9), s.MeanScore)   // (540 + 190) / 9 = 81.11
	assertFigure(t, Known(600.0/9), s.FCR)         // 100 × 6 / 9
	assertFigure(t, Known(1330.0/9), s.AHTSeconds) // (780 + 550) / 9 = 147.8
	assertFigure(t, Known(600.0/9), s.CSAT)        // 100 × 6 / 9
	assertFigure(t, Known(37.0/9), s.MeanRating)   // (27 + 10) / 9

	require.Len(t, rep.Members, 2)
	assert.Equal(t, "u1", rep.Members[0].UserID)
	assert.Equal(t, 1, rep.Members[0].Rank)
	assert.Equal(t, "u2", rep.Members[1].UserID)
	assert.Equal(t, 2, rep.Members[1].Rank)
	assertFigure(t, Known(190.0/3), rep.Members[1].KPIs.MeanScore)
	assertFigure(t, Known(550.0/3), rep.Members[1].KPIs.AHTSeconds)
	assert.Equal(t, 0, rep.Ready, "u1 misses FCR (83.3 %), u2 misses all")

	// member means 90 and 63.33: mean 76.67, median the same, bars 6 and 9.
	d := rep.Distribution
	assert.Equal(t, 2, d.N)
	assertFigure(t, Known((90+190.0/3)/2), d.Median)
	assert.Equal(t, []int{0, 0, 0, 0, 0, 0, 1, 0, 0, 1}, binCounts(d))

	// network: A 100, 50, 100 → 83.3 strength; signaling: 80, 100, 100 → 93.3
	// strength; codec: 60, 40, 100 → 66.7 neutral; weakest first.
	require.Len(t, rep.Classes, 3)
	assert.Equal(t, "codec", rep.Classes[0].FaultClass)
	assert.Equal(t, VerdictNeutral, rep.Classes[0].Verdict)
	assert.Equal(t, VerdictStrength, rep.Classes[1].Verdict)
	assert.Equal(t, "network", rep.Classes[1].FaultClass)
	assert.Equal(t, VerdictStrength, rep.Classes[2].Verdict)
}

func TestTeamReportWeakness(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.TeamReport(examData(), "t2")
	require.NoError(t, err)
	// network in t2: u3 0, u4 100, u5 40 → 140/3 = 46.7 < 60 over 3 attempts.
	var network ClassRow
	for _, c := range rep.Classes {
		if c.FaultClass == "network" {
			network = c
		}
	}
	assert.Equal(t, VerdictWeakness, network.Verdict)
	assertFigure(t, Known(140.0/3), network.KPIs.MeanScore)
	assert.Equal(t, 1, network.KPIs.Fatal)
}

func TestCohortReport(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.CohortReport(examData(), "intake-03", []string{"u3", "u5", "ghost"})
	require.NoError(t, err)
	requireJSON(t, rep)
	// u3: 0, 60, 100; u5: 40 → 200/4 = 50; members with attempts only.
	assert.Equal(t, 4, rep.Summary.Attempts)
	assertFigure(t, Known(50), rep.Summary.MeanScore)
	require.Len(t, rep.Members, 2)
	assert.Equal(t, "u3", rep.Members[0].UserID) // 160/3 = 53.3 > 40
	assert.Equal(t, "t2", rep.Members[0].Team)

	_, err = g.CohortReport(examData(), "", nil)
	assert.Error(t, err)
}

func TestGroupReportEmpty(t *testing.T) {
	g := newTestGrader(t)
	rep, err := g.TeamReport(examData(), "nobody")
	require.NoError(t, err)
	requireJSON(t, rep)
	assert.Equal(t, KPIs{}, rep.Summary)
	assert.Empty(t, rep.Members)
	assert.Equal(t, 0, rep.Distribution.N)
	assert.False(t, rep.Distribution.Median.OK)
	_, err = g.TeamReport(examData(), "")
	assert.Error(t, err)
}

func TestRankMembers(t *testing.T) {
	row := func(id string, mean, fcr float64) MemberRow {
		return MemberRow{UserID: id, KPIs: KPIs{Attempts: 1, MeanScore: Known(mean), FCR: Known(fcr)}}
	}
	rows := []MemberRow{row("c", 80, 40), row("b", 80, 50), row("a", 80, 50), row("d", 90, 10)}
	rankMembers(rows)
	var got []string
	var ranks []int
	for _, r := range rows {
		got, ranks = append(got, r.UserID), append(ranks, r.Rank)
	}
	// d best by score; a and b tie on score and FCR (shared rank 2, by id);
	// c loses the FCR tie-break and takes rank 4.
	assert.Equal(t, []string{"d", "a", "b", "c"}, got)
	assert.Equal(t, []int{1, 2, 2, 4}, ranks)
}
