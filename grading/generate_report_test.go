package grading

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedReports checks, on a generated data set, what must hold for
// any data: counts add up across reports, two independent paths to the same
// statistic agree, figures stay in range, JSON and CSV never see NaN or Inf.
func TestGeneratedReports(t *testing.T) {
	d := generate(t, 40, 30, 6000, 7)
	for _, sel := range []Selection{FirstAttempts, AllAttempts} {
		t.Run(string(sel), func(t *testing.T) {
			g := d.g
			if sel == AllAttempts {
				g = generate(t, 40, 30, 6000, 7, WithAllAttempts()).g
			}
			checkGenerated(t, g, d)
		})
	}
}

func checkGenerated(t *testing.T, g *Grader, d generated) {
	teamAttempts := 0
	for _, team := range d.teams {
		rep, err := g.TeamReport(d.results, team)
		require.NoError(t, err)
		requireJSON(t, rep)
		members := 0
		for _, m := range rep.Members {
			members += m.KPIs.Attempts
		}
		assert.Equal(t, rep.Summary.Attempts, members, "members add up to the team")
		teamAttempts += rep.Summary.Attempts
		var buf bytes.Buffer
		require.NoError(t, rep.WriteCSV(&buf))
		back, err := ParseMembersCSV(&buf)
		require.NoError(t, err)
		assert.Equal(t, rep.Members, back)
	}
	assert.Equal(t, len(d.results), teamAttempts, "teams add up to all attempts")

	traineeAttempts := 0
	for _, u := range d.users {
		rep, err := g.TraineeReport(d.results, u)
		require.NoError(t, err)
		requireJSON(t, rep)
		traineeAttempts += len(rep.Attempts)
	}
	assert.Equal(t, len(d.results), traineeAttempts)

	examDisc := map[string]Figure{}
	for _, id := range d.exams {
		rep, err := g.ExamReport(d.results, id)
		require.NoError(t, err)
		requireJSON(t, rep)
		require.True(t, rep.Alpha.OK)
		assert.LessOrEqual(t, rep.Alpha.Value, 1.0)
		for _, it := range rep.Items {
			examDisc[it.ScenarioID] = it.Stats.Discrimination
		}
		var buf bytes.Buffer
		require.NoError(t, rep.WriteCSV(&buf))
		_, back, err := ParseSittingsCSV(&buf)
		require.NoError(t, err)
		assert.Equal(t, rep.Sittings, back)
	}
	for _, id := range d.scenario {
		rep, err := g.ScenarioReport(d.results, id)
		require.NoError(t, err)
		requireJSON(t, rep)
		o := rep.Overall
		require.True(t, o.Facility.OK && o.Discrimination.OK)
		assert.True(t, o.Facility.Value >= 0 && o.Facility.Value <= 100)
		assert.True(t, o.Discrimination.Value >= -100 && o.Discrimination.Value <= 100)
		// every sitting is complete and the scenario is in one exam: the pooled
		// rest-percent path must agree with the exam report's rest-points path.
		assert.InDelta(t, examDisc[id].Value, o.Discrimination.Value, 1e-6, id)
		n := 0
		for _, v := range rep.Variants {
			n += v.Stats.N
		}
		assert.Equal(t, o.N, n, "variants add up")
	}
}
