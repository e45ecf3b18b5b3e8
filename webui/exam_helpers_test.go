package webui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// callDeadline bounds waits on a live call: connecting and a few seconds of
// samples take far less, but a loaded 2-core machine under -race is slow.
const callDeadline = 2 * time.Minute

// verifyNoLeaks checks, after every later cleanup (the server's Close
// among them), that the test left no goroutine behind: live calls own
// Pion peers, and each must be gone once the server has closed.
func verifyNoLeaks(tb testing.TB) {
	tb.Helper()
	opt := goleak.IgnoreCurrent()
	tb.Cleanup(func() { goleak.VerifyNone(tb, opt) })
}

// apiTokens makes an API token for each user.
func apiTokens(tb testing.TB, app *testApp, users map[who]store.User) map[who]string {
	tb.Helper()
	out := map[who]string{}
	for w, u := range users {
		token, _, err := app.st.CreateAPIToken(context.Background(), u.ID, "matrix", nil)
		require.NoError(tb, err)
		out[w] = token
	}
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(tb testing.TB, deadline time.Duration, what string, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("timed out after %v waiting for %s", deadline, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var attemptLocation = regexp.MustCompile(`^/attempts/(\d+)$`)

// startPractice starts the test library's practice exam through the page
// and returns the attempt id.
func startPractice(tb testing.TB, c *client) uint {
	tb.Helper()
	return startAt(tb, c, "/practice/test-practice")
}

// startAt posts a start form and returns the attempt it leads to.
func startAt(tb testing.TB, c *client, path string) uint {
	tb.Helper()
	rec := c.post(path, nil)
	require.Equal(tb, http.StatusSeeOther, rec.Code, rec.Body.String())
	m := attemptLocation.FindStringSubmatch(rec.Header().Get("Location"))
	require.NotNil(tb, m, "redirect to the attempt, got %q", rec.Header().Get("Location"))
	id, err := strconv.ParseUint(m[1], 10, 64)
	require.NoError(tb, err)
	return uint(id)
}

// api sends a JSON request with the client's bearer token.
func (c *client) api(method, path string, body any) *httptest.ResponseRecorder {
	c.tb.Helper()
	var buf bytes.Buffer
	if body != nil {
		require.NoError(c.tb, json.NewEncoder(&buf).Encode(body))
	}
	req := httptest.NewRequest(method, path, &buf)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.do(req)
}

// withToken returns a client that authenticates with a new API token of u
// and no cookies.
func (a *testApp) withToken(tb testing.TB, u store.User) *client {
	tb.Helper()
	token, _, err := a.st.CreateAPIToken(context.Background(), u.ID, "test", nil)
	require.NoError(tb, err)
	c := a.client(tb)
	c.header.Set("Authorization", "Bearer "+token)
	return c
}

// decode reads a JSON response into v, failing on a non-2xx status.
func decode(tb testing.TB, rec *httptest.ResponseRecorder, v any) {
	tb.Helper()
	require.Less(tb, rec.Code, 300, rec.Body.String())
	require.NoError(tb, json.Unmarshal(rec.Body.Bytes(), v), rec.Body.String())
}

// stream reads a server-sent event stream for d and returns what came.
func (c *client) stream(path string, d time.Duration) string {
	c.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req := httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
	rec := c.do(req)
	require.Equal(c.tb, http.StatusOK, rec.Code, "stream %s: %s", path, rec.Body.String())
	return rec.Body.String()
}

// itemPath is the page of an attempt's item.
func itemPath(attemptID uint, pos int) string {
	return fmt.Sprintf("/attempts/%d/items/%d", attemptID, pos)
}

// waitLive waits until the item's call runs and has taken n samples.
func (a *testApp) waitLive(tb testing.TB, itemID uint, n int) *liveCall {
	tb.Helper()
	var lc *liveCall
	waitFor(tb, callDeadline, fmt.Sprintf("%d samples of item %d", n, itemID), func() bool {
		var ok bool
		lc, ok = a.srv.live.running(itemID)
		return ok && len(lc.sess.Series()) >= n
	})
	return lc
}
