package webui

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// TestAssignedExam takes an exam a trainer assigned: only its assignee may
// start it, the deadline adds the trainee's extension, and the review
// policy (after the exam closes) keeps the key and the item scores back
// until the close, while the attempt's score shows at once.
func TestAssignedExam(t *testing.T) {
	dir := testLibrary(t)
	app := newTestApp(t, Config{ScenariosDir: dir})
	lib, err := scenarios.Load(dir)
	require.NoError(t, err)
	sc, err := lib.Scenario("wifi-high-rtt")
	require.NoError(t, err)
	probe := probeOf(t, sc, lib.Catalog(), "far_edge_node", "update_client")
	ctx := context.Background()
	trainee := app.mkUser(t, "ida", store.RoleTrainee)
	closes := app.clock.Now().Add(2 * time.Hour)
	exam, err := app.st.CreateExam(ctx, store.Exam{Title: "Desk certification", Mode: store.ModeExam,
		ScenarioIDs: []string{"wifi-high-rtt"}, DrawCount: 1, TimeLimitSeconds: 1800,
		ReviewPolicy: store.ReviewAfterClose, PassMark: 0.7, ClosesAt: &closes},
		store.Assignees{UserIDs: []uint{trainee.ID}})
	require.NoError(t, err)
	require.NoError(t, app.st.SetExtraTime(ctx, exam.ID, trainee.ID, 15*time.Minute))
	start := fmt.Sprintf("/exams/%d/start", exam.ID)
	c := app.signedIn(t, trainee)

	assert.Contains(t, c.get("/dashboard").Body.String(), `action="`+start+`"`, "the dashboard offers it")
	assert.Equal(t, http.StatusNotFound, app.signedIn(t, app.mkUser(t, "ivo", store.RoleTrainee)).post(start, nil).Code,
		"an exam not assigned to the trainee is not there")
	id := startAt(t, c, start)
	assert.Equal(t, fmt.Sprintf("/attempts/%d", id), c.post(start, nil).Header().Get("Location"), "starting again resumes")
	a, err := app.st.Attempt(ctx, id)
	require.NoError(t, err)
	require.NotNil(t, a.Deadline)
	assert.Equal(t, app.clock.Now().Add(45*time.Minute), *a.Deadline, "30 minutes plus the 15 minute extension")

	item := itemPath(id, 0)
	rec := c.post(item+"/submit", url.Values{"root_cause": {"wifi_congestion"}, "evidence": {"roundTripTime"},
		"customer_note": {"I am moving you to 4G."}, "escalate": {"no"}})
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	api := app.withToken(t, trainee)
	hidden := map[string]string{
		"review":     c.get(item + "/review").Body.String(),
		"result":     c.get(fmt.Sprintf("/attempts/%d/result", id)).Body.String(),
		"api result": api.api(http.MethodGet, fmt.Sprintf("/api/v1/attempts/%d/result", id), nil).Body.String(),
	}
	for what, body := range hidden {
		assert.Empty(t, probe.leaks(body), "%s before the exam closes", what)
	}
	assert.Contains(t, hidden["review"], "shows scores and explanations later")
	assert.Contains(t, hidden["result"], `<strong id="total-score">75%</strong>`, "the attempt's score shows")
	assert.Contains(t, hidden["result"], "Passed", "75% against a 70% pass mark")
	assert.Contains(t, hidden["result"], "Shown later", "but not the item's")
	assert.Contains(t, hidden["api result"], `"visible":false`)
	results, err := app.st.Results(ctx, store.ResultFilter{ExamIDs: []uint{exam.ID}})
	require.NoError(t, err)
	require.Len(t, results, 1, "stored for the exam report")
	assert.Equal(t, 1, results[0].AttemptNo)

	app.clock.Advance(3 * time.Hour)
	c = app.signedIn(t, trainee) // the first sign-in has lapsed meanwhile
	review := c.get(item + "/review").Body.String()
	assert.Contains(t, review, html.EscapeString(sc.Answer.KB.Title.EN), "after the close the key shows")
	assert.Contains(t, review, `<strong id="score">75</strong>`)
	assert.Equal(t, http.StatusConflict, c.post(start, nil).Code, "a closed exam starts no attempt")
}
