package webui

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// TestExamWalk walks a whole practice exam as a trainee — the pages as a
// browser with and without script sees them, the live stream, the JSON
// API, the assets and error pages — and checks that none of it carries the
// answer key before the item is submitted, and that practice shows it
// after.
func TestExamWalk(t *testing.T) {
	verifyNoLeaks(t)
	dir := testLibrary(t)
	app := newTestApp(t, Config{ScenariosDir: dir})
	lib, err := scenarios.Load(dir)
	require.NoError(t, err)
	sc, err := lib.Scenario("wifi-high-rtt")
	require.NoError(t, err)
	probe := probeOf(t, sc, lib.Catalog(), "far_edge_node", "update_client")
	ctx := context.Background()

	trainee := app.mkUser(t, "lea", store.RoleTrainee)
	c := app.signedIn(t, trainee)
	zh := app.signedIn(t, trainee)
	zh.header.Set("Accept-Language", "zh-CN")
	script := app.signedIn(t, trainee)
	script.header.Set("Accept", "application/json")
	api := app.withToken(t, trainee)
	var walk []seen
	keep := func(what string, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
		walk = append(walk, seen{what, rec.Body.String()})
		return rec
	}

	keep("dashboard", c.get("/dashboard"))
	keep("dashboard zh", zh.get("/dashboard"))
	id := startPractice(t, c)
	item := itemPath(id, 0)
	assert.Equal(t, item, c.get(fmt.Sprintf("/attempts/%d", id)).Header().Get("Location"), "the attempt opens its first item")
	page := keep("item page", c.get(item))
	require.Equal(t, http.StatusOK, page.Code, page.Body.String())
	assert.Contains(t, page.Body.String(), html.EscapeString(sc.Complaint.EN), "the ticket shows")
	assert.Contains(t, page.Body.String(), `data-remaining="600"`, "the timer counts down from the server's figure")
	keep("item page zh", zh.get(item))
	a, err := app.st.Attempt(ctx, id)
	require.NoError(t, err)
	it := a.Items[0]
	require.NotNil(t, it.OpenedAt, "opening the page starts the handle time")
	app.waitLive(t, it.ID, 2)

	sse := c.stream(item+"/stream", 3*time.Second)
	walk = append(walk, seen{"stream", sse})
	assert.Contains(t, sse, "event: sample\ndata: {")
	assert.Contains(t, sse, `event: clock`+"\n"+`data: {"remaining_seconds":600}`)

	rec := keep("remedy from the script", script.post(item+"/remedies", url.Values{"remedy": {"kb_camera_guide"}}))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var act actionJSON
	decode(t, rec, &act)
	assert.Equal(t, "kb_camera_guide", act.Remedy)
	assert.Contains(t, act.Outcome, "knowledge-base answer")
	rec = keep("remedy from a plain form", c.post(item+"/remedies", url.Values{"remedy": {"use_headset"}}))
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	assert.Equal(t, http.StatusBadRequest, keep("unknown remedy", c.post(item+"/remedies", url.Values{"remedy": {"no_such"}})).Code)
	acts, err := app.st.Actions(ctx, it.ID)
	require.NoError(t, err)
	require.Len(t, acts, 2, "each remedy is stored as it happens")
	assert.Equal(t, "use_headset", acts[1].Name)
	lc, ok := app.srv.live.running(it.ID)
	require.True(t, ok)
	assert.Len(t, lc.sess.Actions(), 2, "and acts on the live call")

	rec = keep("ping from the script", script.post(item+"/tools/ping", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var run toolRun
	decode(t, rec, &run)
	assert.Empty(t, run.Error)
	assert.Contains(t, run.Output, "10 packets transmitted")
	require.Equal(t, http.StatusSeeOther, keep("traceroute from a plain form", c.post(item+"/tools/traceroute", nil)).Code)
	assert.Equal(t, http.StatusNotFound, keep("unknown tool", c.post(item+"/tools/nmap", nil)).Code)
	rec = keep("rtp stream analysis", script.post(item+"/tools/rtp", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	decode(t, rec, &run)
	assert.Contains(t, run.Output, "SSRC", "one line per captured stream")
	pcap := c.get(item + "/capture.pcap")
	require.Equal(t, http.StatusOK, pcap.Code)
	require.Greater(t, pcap.Body.Len(), 24, "a pcap header and packets")
	assert.Equal(t, []byte{0xd4, 0xc3, 0xb2, 0xa1}, pcap.Body.Bytes()[:4], "little-endian pcap magic")
	page = keep("item page with tool runs", c.get(item))
	assert.Contains(t, page.Body.String(), "traceroute to media server", "the page lists the runs")

	rec = keep("draft from the script", script.post(item+"/answer", url.Values{"root_cause": {"weak_mobile_signal"},
		"evidence": {"jitter"}, "customer_note": {"I will call you back"}}))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, http.StatusUnprocessableEntity, keep("bad draft", script.post(item+"/answer", url.Values{"root_cause": {"nope"}})).Code)
	page = keep("item page with the draft", c.get(item))
	assert.Contains(t, page.Body.String(), `value="weak_mobile_signal" selected`)
	assert.Contains(t, page.Body.String(), `value="jitter" checked`)
	assert.Contains(t, page.Body.String(), "I will call you back")
	rec = keep("submit without escalation", c.post(item+"/submit", url.Values{"root_cause": {"weak_mobile_signal"}, "customer_note": {"typed text stays"}}))
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Contains(t, rec.Body.String(), "Say whether you escalate to engineering.", "the message is beside the field")
	assert.Contains(t, rec.Body.String(), "typed text stays", "nothing typed is lost")
	assert.Equal(t, item, c.get(item+"/review").Header().Get("Location"), "no review before submission")
	assert.Contains(t, keep("result while running", c.get(fmt.Sprintf("/attempts/%d/result", id))).Body.String(), "still running")
	assert.Equal(t, http.StatusNotFound, keep("someone else's attempt", app.signedIn(t, app.mkUser(t, "ola", store.RoleTrainee)).get(item)).Code)
	assert.Equal(t, http.StatusForbidden, keep("the library as a trainee", c.get("/trainer/scenarios")).Code)
	for _, asset := range []string{"/static/exam.js", "/static/exam.css", "/static/app.css", "/static/editor.js"} {
		assert.Equal(t, http.StatusOK, keep(asset, c.get(asset)).Code)
	}

	walkAPI(t, api, id, keep)
	walk = append(walk, seen{"api stream", api.stream(fmt.Sprintf("/api/v1/attempts/%d/items/0/stream", id), 2*time.Second)})
	assert.Equal(t, http.StatusUnauthorized, keep("api with a cookie only", c.get("/api/v1/exams")).Code)
	assertNoLeaks(t, probe, walk)
	for _, r := range walk {
		assert.NotContains(t, r.body, `"peer":"engine"`, "%s shows the engine's own log lines", r.what)
	}

	rec = c.post(item+"/submit", url.Values{"root_cause": {"wifi_congestion"}, "evidence": {"roundTripTime"},
		"customer_note": {"Please move to 4G while I stay on the line."}, "escalate": {"no"}})
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	review := c.get(item + "/review").Body.String()
	// Right cause 35, all evidence 15, rightly kept 10, no resolving remedy
	// 0, handle time 0 s within target 15: 75 of 100.
	assert.Contains(t, review, `<strong id="score">75</strong>`)
	assert.NotEmpty(t, probe.leaks(review), "practice shows the key once submitted")
	assert.Contains(t, review, html.EscapeString(sc.Answer.KB.Title.EN))
	results, err := app.st.Results(ctx, store.ResultFilter{UserIDs: []uint{trainee.ID}})
	require.NoError(t, err)
	require.Len(t, results, 1, "the graded figures are stored for the reports")
	assert.InDelta(t, 75, results[0].Score, 1e-9)
	assert.True(t, results[0].RootCauseCorrect)
	assert.Equal(t, 3, results[0].CSAT, "not fixed 2, customer told what happens next +1")
	a, err = app.st.Attempt(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, store.StatusSubmitted, a.Status, "the last item finishes the attempt")
	require.NotNil(t, a.Score)
	assert.InDelta(t, 0.75, *a.Score, 1e-9)
	assert.Contains(t, a.Items[0].Report, `"RootCauseCorrect":true`, "the breakdown is kept with the item")
	_, running := app.srv.live.running(it.ID)
	assert.False(t, running, "submitting ends the call")
	assert.Contains(t, c.get(fmt.Sprintf("/attempts/%d/result", id)).Body.String(), `<strong id="total-score">75%</strong>`)
	assert.Equal(t, http.StatusConflict, c.post(item+"/submit", url.Values{"root_cause": {"wifi_congestion"}, "escalate": {"no"}}).Code)
}

// walkAPI takes the same item through the JSON API, keeping every answer.
func walkAPI(t *testing.T, api *client, id uint, keep func(string, *httptest.ResponseRecorder) *httptest.ResponseRecorder) {
	t.Helper()
	base := fmt.Sprintf("/api/v1/attempts/%d", id)
	keep("api exams", api.api(http.MethodGet, "/api/v1/exams", nil))
	keep("api attempt", api.api(http.MethodGet, base, nil))
	var item apiItem
	decode(t, keep("api item", api.api(http.MethodGet, base+"/items/0", nil)), &item)
	assert.Equal(t, "weak_mobile_signal", item.Answer.RootCause, "the draft typed on the page")
	assert.Len(t, item.Actions, 2)
	assert.NotEmpty(t, item.Remedies)
	var samples struct {
		Samples []map[string]any `json:"samples"`
	}
	decode(t, keep("api samples", api.api(http.MethodGet, base+"/items/0/samples?since=0", nil)), &samples)
	assert.GreaterOrEqual(t, len(samples.Samples), 2)
	keep("api log", api.api(http.MethodGet, base+"/items/0/log", nil))
	var run toolRun
	decode(t, keep("api dashboard", api.api(http.MethodPost, base+"/items/0/tools/dashboard", nil)), &run)
	assert.Contains(t, run.Output, "media servers")
	assert.NotNil(t, run.Result)
	var act actionJSON
	decode(t, keep("api remedy", api.api(http.MethodPost, base+"/items/0/remedies", map[string]string{"remedy": "explain_concealment"})), &act)
	assert.Equal(t, "explain_concealment", act.Remedy)
	keep("api draft", api.api(http.MethodPost, base+"/items/0/answer", map[string]any{"root_cause": "weak_mobile_signal", "evidence": []string{"jitter"}}))
	rec := keep("api incomplete submit", api.api(http.MethodPost, base+"/items/0/submit", map[string]any{"root_cause": "weak_mobile_signal"}))
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Contains(t, rec.Body.String(), `"escalate"`)
	req := httptest.NewRequest(http.MethodPost, base+"/items/0/answer", strings.NewReader("{"))
	req.Header.Set("Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, keep("api malformed", api.do(req)).Code)
	assert.Equal(t, http.StatusNotFound, keep("api unknown item", api.api(http.MethodGet, base+"/items/7", nil)).Code)
	keep("api result", api.api(http.MethodGet, base+"/result", nil))
	keep("openapi", api.api(http.MethodGet, "/api/v1/openapi.json", nil))
}
