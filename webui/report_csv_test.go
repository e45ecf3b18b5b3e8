package webui

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestReportCSVRoundTrip(t *testing.T) {
	ra := newReportApp(t)
	data := genResults(t, ra.testApp, genSpec{Teams: 2, Trainees: 6, Results: 240, ExamSize: 5, PracticeShare: 0.3, Seed: 3})
	c := ra.signedIn(t, ra.manager)
	u, team := data.Trainees[1], data.Teams[0]
	exam := data.Exams[0]
	byUser, byTeam := 0, 0
	for _, r := range data.Results {
		if r.UserID == u.ID {
			byUser++
		}
		if r.TeamID != nil && *r.TeamID == team.ID {
			byTeam++
		}
	}
	sc := exam.ScenarioIDs[0]
	split := func(h string) []string { return strings.Split(h, ",") }
	tests := []struct {
		name, path, file string
		header           []string
		rows             int
		check            func(t *testing.T, body string)
	}{
		{"trainee", fmt.Sprintf("/reports/trainees/%d/export.csv", u.ID), fmt.Sprintf("trainee-%d.csv", u.ID),
			split(grading.AttemptsCSVHeader), byUser, func(t *testing.T, body string) {
				rows, err := grading.ParseAttemptsCSV(strings.NewReader(body))
				require.NoError(t, err)
				for _, r := range rows {
					assert.Equal(t, store.GradingID(u.ID), r.UserID, "keyed by the user's id")
				}
			}},
		{"team", fmt.Sprintf("/reports/teams/%d/export.csv", team.ID), fmt.Sprintf("team-%d.csv", team.ID),
			split(grading.MembersCSVHeader), 3, func(t *testing.T, body string) {
				rows, err := grading.ParseMembersCSV(strings.NewReader(body))
				require.NoError(t, err)
				total := 0
				for _, r := range rows {
					total += r.KPIs.Attempts
					assert.Equal(t, team.Name, r.Team)
				}
				assert.Equal(t, byTeam, total, "every attempt of the team is counted once")
			}},
		{"cohort", fmt.Sprintf("/reports/teams/%d/export.csv?by=members", team.ID), fmt.Sprintf("cohort-%d.csv", team.ID),
			split(grading.MembersCSVHeader), 3, nil},
		{"scenario", "/reports/scenarios/" + sc + "/export.csv?attempts=all", "scenario-" + sc + ".csv",
			split(grading.AttemptsCSVHeader), countScenario(data.Results, sc), func(t *testing.T, body string) {
				rows, err := grading.ParseAttemptsCSV(strings.NewReader(body))
				require.NoError(t, err)
				for _, r := range rows {
					assert.Equal(t, sc, r.ScenarioID)
				}
			}},
		{"exam", fmt.Sprintf("/reports/exams/%d/export.csv?attempts=all", exam.ID), fmt.Sprintf("exam-%d.csv", exam.ID),
			append(split(grading.SittingsCSVHeader), itemColumns(exam.ScenarioIDs)...), countSittings(data.Results, exam.ID), func(t *testing.T, body string) {
				items, rows, err := grading.ParseSittingsCSV(strings.NewReader(body))
				require.NoError(t, err)
				assert.Equal(t, exam.ScenarioIDs, items)
				for _, r := range rows {
					assert.Len(t, r.Items, len(items))
					assert.Equal(t, r.Score >= 70, r.Passed, "pass mark 70 %")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ra.get(t, c, tt.path)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body)
			assert.Equal(t, "text/csv; charset=utf-8", rec.Header.Get("Content-Type"))
			assert.Equal(t, fmt.Sprintf("attachment; filename=%q", tt.file), rec.Header.Get("Content-Disposition"))
			records, err := csv.NewReader(strings.NewReader(rec.Body)).ReadAll()
			require.NoError(t, err)
			require.NotEmpty(t, records)
			assert.Equal(t, tt.header, records[0], "the documented header")
			assert.Len(t, records[1:], tt.rows)
			for _, row := range records[1:] {
				assert.NotEmpty(t, row[0], "keyed by user id")
				for _, cell := range row {
					assert.NotContains(t, []string{"NaN", "+Inf", "-Inf"}, cell)
				}
			}
			if tt.check != nil {
				tt.check(t, rec.Body)
			}
		})
	}
}

func countScenario(rs []store.ResultRecord, sc string) int {
	n := 0
	for _, r := range rs {
		if r.ScenarioID == sc {
			n++
		}
	}
	return n
}

func countSittings(rs []store.ResultRecord, examID uint) int {
	seen := map[[2]int]bool{}
	for _, r := range rs {
		if r.ExamID != nil && *r.ExamID == examID {
			seen[[2]int{int(r.UserID), r.AttemptNo}] = true
		}
	}
	return len(seen)
}

func itemColumns(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = grading.ItemColumnPrefix + id
	}
	return out
}
