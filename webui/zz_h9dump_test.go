package webui

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestH9Dump(t *testing.T) {
	out := os.Getenv("H9_DUMP")
	if out == "" {
		t.Skip("dump only on request")
	}
	ra := newReportApp(t)
	data := genResults(t, ra.testApp, genSpec{Teams: 3, Trainees: 20, Results: 4000, ExamSize: 6, PracticeShare: 0.3, Seed: 9})
	c := ra.signedIn(t, ra.manager)
	pages := map[string]string{
		"index":    "/reports",
		"trainee":  fmt.Sprintf("/reports/trainees/%d", data.Trainees[0].ID),
		"team":     fmt.Sprintf("/reports/teams/%d", data.Teams[0].ID),
		"scenario": "/reports/scenarios/" + data.Exams[0].ScenarioIDs[0],
		"exam":     fmt.Sprintf("/reports/exams/%d", data.Exams[0].ID),
		"examform": "/trainer/exams/new",
	}
	admin := ra.signedIn(t, ra.mkUser(t, "root", "admin"))
	for name, p := range pages {
		cl := c
		if name == "examform" {
			cl = admin
		}
		body := ra.get(t, cl, p).Body
		body = strings.ReplaceAll(body, `href="/static/`, `href="/work/main/webui/static/`)
		os.WriteFile(out+"/"+name+".html", []byte(body), 0o644)
	}
}
