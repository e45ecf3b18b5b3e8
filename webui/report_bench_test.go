package webui

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// BenchmarkReportPages builds every report page through the whole handler
// (session, store query, grading report, template) from an SQLite file
// holding 100k graded attempts of 200 trainees on 30 scenarios, with no
// cache. The budget is 300 ms per page.
func BenchmarkReportPages(b *testing.B) {
	app := newTestApp(b, Config{ScenariosDir: reportLibrary(b, 30)})
	start := time.Now()
	data := genResults(b, app, genSpec{Teams: 8, Trainees: 200, Results: 100_000, ExamSize: 10, PracticeShare: 0.2, Seed: 1})
	b.Logf("filled %d results, %d exams in %v", len(data.Results), len(data.Exams), time.Since(start).Round(time.Millisecond))
	manager := app.mkUser(b, "boss", store.RoleManager)
	u, team, exam := data.Trainees[17], data.Teams[3], data.Exams[1]
	sc := exam.ScenarioIDs[4]
	pages := []struct{ name, path string }{
		{"Index", "/reports"},
		{"Trainee", fmt.Sprintf("/reports/trainees/%d", u.ID)},
		{"TraineeCSV", fmt.Sprintf("/reports/trainees/%d/export.csv", u.ID)},
		{"Team", fmt.Sprintf("/reports/teams/%d", team.ID)},
		{"Cohort", fmt.Sprintf("/reports/teams/%d?by=members", team.ID)},
		{"TeamCSV", fmt.Sprintf("/reports/teams/%d/export.csv", team.ID)},
		{"Scenario", "/reports/scenarios/" + sc},
		{"ScenarioVariant", "/reports/scenarios/" + sc + "?variant=3&page=2"},
		{"ScenarioAllAttempts", "/reports/scenarios/" + sc + "?attempts=all"},
		{"ScenarioCSV", "/reports/scenarios/" + sc + "/export.csv?attempts=all"},
		{"Exam", fmt.Sprintf("/reports/exams/%d", exam.ID)},
		{"ExamAllAttempts", fmt.Sprintf("/reports/exams/%d?attempts=all", exam.ID)},
		{"ExamCSV", fmt.Sprintf("/reports/exams/%d/export.csv?attempts=all", exam.ID)},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			c := app.signedIn(b, manager)
			bytes := 0
			for b.Loop() {
				rec := c.get(p.path)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", p.path, rec.Code)
				}
				bytes = rec.Body.Len()
			}
			b.ReportMetric(float64(bytes), "bytes/page")
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
		})
	}
}
