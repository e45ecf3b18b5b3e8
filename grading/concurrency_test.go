package grading

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGraderConcurrentUse: a Grader holds configuration only, so the web
// layer may share one between requests; -race checks that reports and
// grading do not write to it.
func TestGraderConcurrentUse(t *testing.T) {
	g := newTestGrader(t)
	data := examData()
	want, err := g.ExamReport(data, "E")
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	reps := make([]ExamReport, 8)
	for i := range 8 {
		wg.Go(func() {
			if _, err := g.TraineeReport(data, "u1"); err != nil {
				errs[i] = err
				return
			}
			if _, err := g.ScenarioReport(data, "A"); err != nil {
				errs[i] = err
				return
			}
			reps[i], errs[i] = g.ExamReport(data, "E")
		})
	}
	wg.Wait()
	for i := range 8 {
		require.NoError(t, errs[i])
		assert.Equal(t, want, reps[i])
	}
}

// TestEmptyReportsListAsArrays: pages iterate the lists; an empty report
// must give [] rather than null.
func TestEmptyReportsListAsArrays(t *testing.T) {
	g := newTestGrader(t)
	tr, err := g.TraineeReport(nil, "u1")
	require.NoError(t, err)
	gr, err := g.TeamReport(nil, "t1")
	require.NoError(t, err)
	sc, err := g.ScenarioReport(nil, "A")
	require.NoError(t, err)
	ex, err := g.ExamReport(nil, "E")
	require.NoError(t, err)
	tests := []struct {
		name  string
		v     any
		lists []string
	}{
		{"trainee", tr, []string{"Trend", "Classes", "Attempts", "Sittings"}},
		{"group", gr, []string{"Trend", "Classes", "Members"}},
		{"scenario", sc, []string{"Variants", "Submissions"}},
		{"exam", ex, []string{"Items", "Sittings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(b, &m))
			for _, l := range tt.lists {
				assert.NotEqual(t, "null", string(m[l]), l)
				assert.NotEmpty(t, m[l], l)
			}
		})
	}
}

// TestReportsDeterministic: figures come from maps, whose order is random;
// two builds of a report from the same results must still be identical to
// the last bit, or CSV exports would differ from one download to the next.
func TestReportsDeterministic(t *testing.T) {
	d := generate(t, 30, 30, 3000, 11)
	for range 3 {
		for _, team := range d.teams[:2] {
			a, err := d.g.TeamReport(d.results, team)
			require.NoError(t, err)
			b, err := d.g.TeamReport(d.results, team)
			require.NoError(t, err)
			assert.Equal(t, a, b)
		}
		for _, id := range d.exams {
			a, err := d.g.ExamReport(d.results, id)
			require.NoError(t, err)
			b, err := d.g.ExamReport(d.results, id)
			require.NoError(t, err)
			assert.Equal(t, a, b)
		}
		a, err := d.g.ScenarioReport(d.results, d.scenario[4])
		require.NoError(t, err)
		b, err := d.g.ScenarioReport(d.results, d.scenario[4])
		require.NoError(t, err)
		assert.Equal(t, a, b)
	}
}
