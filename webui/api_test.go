package webui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// TestAPIExamFlow takes a practice exam through the JSON API alone, as an
// automated agent would: list, start, open, poll the call, act, read the
// log, submit and read the result.
func TestAPIExamFlow(t *testing.T) {
	verifyNoLeaks(t)
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
	api := app.withToken(t, app.mkUser(t, "bot", store.RoleTrainee))

	var exams struct {
		Practice []apiPracticeExam `json:"practice"`
	}
	decode(t, api.api(http.MethodGet, "/api/v1/exams", nil), &exams)
	require.Len(t, exams.Practice, 1)
	assert.Equal(t, "test-practice", exams.Practice[0].ID)

	rec := api.api(http.MethodPost, "/api/v1/attempts", map[string]string{"practice": "test-practice"})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var at apiAttempt
	decode(t, rec, &at)
	assert.Equal(t, fmt.Sprintf("/api/v1/attempts/%d", at.ID), rec.Header().Get("Location"))
	require.Len(t, at.Items, 1)
	require.NotNil(t, at.RemainingSeconds)
	assert.Equal(t, 600, *at.RemainingSeconds)
	base := at.Items[0].Href

	var item apiItem
	decode(t, api.api(http.MethodGet, base, nil), &item)
	assert.Equal(t, "Video call from home, the other side always answers late", item.Ticket.Title.EN)
	assert.Contains(t, item.EvidenceIDs, "roundTripTime")
	var samples struct {
		Samples []map[string]float64 `json:"samples"`
		Last    float64              `json:"last"`
	}
	decode(t, api.api(http.MethodGet, base+"/samples", nil), &samples)
	waitFor(t, callDeadline, "three samples", func() bool {
		decode(t, api.api(http.MethodGet, base+"/samples", nil), &samples)
		return len(samples.Samples) >= 3
	})
	var newer struct {
		Samples []map[string]float64 `json:"samples"`
	}
	decode(t, api.api(http.MethodGet, fmt.Sprintf("%s/samples?since=%v", base, samples.Last), nil), &newer)
	for _, s := range newer.Samples {
		assert.Greater(t, s["timestamp"], samples.Last, "since returns only newer samples")
	}

	var act actionJSON
	decode(t, api.api(http.MethodPost, base+"/remedies", map[string]string{"remedy": "switch_to_wired"}), &act)
	assert.Equal(t, "customer moved from wifi to ethernet", act.Outcome)
	rec = api.api(http.MethodPost, base+"/remedies", map[string]string{"remedy": "no_such"})
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.JSONEq(t, `{"error":{"status":400,"message":"The request could not be understood. Check what you sent and try again."}}`, rec.Body.String())
	var log struct {
		Events []logJSON `json:"events"`
	}
	decode(t, api.api(http.MethodGet, base+"/log", nil), &log)
	assert.True(t, hasLogLine(log.Events, "switch_to_wired"), "the log shows the remedy: %v", log.Events)

	var submitted struct {
		Attempt apiAttempt `json:"attempt"`
		Review  apiReview  `json:"review"`
	}
	decode(t, api.api(http.MethodPost, base+"/submit", map[string]any{"root_cause": "wifi_congestion",
		"evidence": []string{"roundTripTime"}, "customer_note": "Use the cable from now on.", "escalate": false}), &submitted)
	assert.Equal(t, "submitted", submitted.Attempt.Status)
	require.True(t, submitted.Review.Visible, "practice reviews each item at once")
	require.NotNil(t, submitted.Review.Breakdown)
	assert.True(t, submitted.Review.Breakdown.RootCauseCorrect)
	require.NotNil(t, submitted.Review.Explanation)
	assert.Contains(t, submitted.Review.Explanation.EN, "500 ms")

	var result struct {
		Attempt apiAttempt  `json:"attempt"`
		Items   []apiReview `json:"items"`
	}
	decode(t, api.api(http.MethodGet, fmt.Sprintf("/api/v1/attempts/%d/result", at.ID), nil), &result)
	require.NotNil(t, result.Attempt.Score)
	assert.InDelta(t, *submitted.Review.Score/100, *result.Attempt.Score, 1e-9)
	assert.Equal(t, http.StatusConflict, api.api(http.MethodPost, base+"/submit", map[string]any{"root_cause": "wifi_congestion", "escalate": false}).Code)
}

func hasLogLine(events []logJSON, text string) bool {
	for _, e := range events {
		if strings.Contains(e.Message, text) {
			return true
		}
	}
	return false
}

// TestAPITokens checks bearer authentication: a missing or unknown token is
// 401 with a challenge, a token of a non-trainee 403, a revoked one 401.
func TestAPITokens(t *testing.T) {
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
	trainee := app.mkUser(t, "tia", store.RoleTrainee)
	tests := []struct {
		name   string
		client *client
		want   int
	}{
		{"no token", app.client(t), http.StatusUnauthorized},
		{"unknown token", func() *client { c := app.client(t); c.header.Set("Authorization", "Bearer rtd_nope"); return c }(), http.StatusUnauthorized},
		{"trainee", app.withToken(t, trainee), http.StatusOK},
		{"trainer", app.withToken(t, app.mkUser(t, "tom", store.RoleTrainer)), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.client.api(http.MethodGet, "/api/v1/exams", nil)
			assert.Equal(t, tt.want, rec.Code)
			if tt.want == http.StatusUnauthorized {
				assert.Contains(t, rec.Header().Get("WWW-Authenticate"), "Bearer")
			}
		})
	}
	t.Run("revoked", func(t *testing.T) {
		c := app.signedIn(t, trainee)
		rec := c.post("/account/tokens", map[string][]string{"name": {"agent"}})
		require.Equal(t, http.StatusCreated, rec.Code)
		token := regexp.MustCompile(`id="new-token">(rtd_[^<]+)<`).FindStringSubmatch(rec.Body.String())
		require.Len(t, token, 2, "the token is shown once")
		bot := app.client(t)
		bot.header.Set("Authorization", "Bearer "+token[1])
		require.Equal(t, http.StatusOK, bot.api(http.MethodGet, "/api/v1/exams", nil).Code)
		tokens, err := app.st.APITokens(t.Context(), trainee.ID)
		require.NoError(t, err)
		require.NotEmpty(t, tokens)
		require.Equal(t, "agent", tokens[0].Name, "newest first")
		assert.NotContains(t, c.get("/account").Body.String(), token[1], "the list shows a prefix only")
		require.Equal(t, http.StatusSeeOther, c.post(fmt.Sprintf("/account/tokens/%d/delete", tokens[0].ID), nil).Code)
		assert.Equal(t, http.StatusUnauthorized, bot.api(http.MethodGet, "/api/v1/exams", nil).Code)
		other := app.signedIn(t, app.mkUser(t, "uma", store.RoleTrainee))
		assert.Equal(t, http.StatusNotFound, other.post(fmt.Sprintf("/account/tokens/%d/delete", tokens[0].ID), nil).Code)
	})
	t.Run("a token needs a name", func(t *testing.T) {
		rec := app.signedIn(t, trainee).post("/account/tokens", map[string][]string{"name": {" "}})
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Contains(t, rec.Body.String(), `id="f-name-error"`)
	})
}

// TestOpenAPIDescribesEveryRoute checks the hand-written OpenAPI document
// against the routes: every /api/v1 route is in it, and nothing else is.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	app := newTestApp(t, Config{})
	rec := app.client(t).get("/api/v1/openapi.json")
	require.Equal(t, http.StatusOK, rec.Code)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Regexp(t, `^3\.`, doc.OpenAPI)
	param := regexp.MustCompile(`:(\w+)`)
	var routes, documented []string
	for _, r := range app.srv.echo.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			routes = append(routes, strings.ToLower(r.Method)+" "+param.ReplaceAllString(r.Path, "{$1}"))
		}
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, method+" "+path)
			assert.NotEmpty(t, op["summary"], "%s %s has a summary", method, path)
			assert.NotEmpty(t, op["responses"], "%s %s has responses", method, path)
		}
	}
	require.NotEmpty(t, routes)
	assert.ElementsMatch(t, routes, documented)
}
