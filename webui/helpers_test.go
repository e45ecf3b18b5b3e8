package webui

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

// testClock is a clock that moves only when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testApp is a server on its own database (SQLite, or PostgreSQL as
// storetest chooses) with a fixed clock and seeded randomness.
type testApp struct {
	srv   *Server
	st    *store.Store
	clock *testClock
}

func newTestApp(tb testing.TB, cfg Config) *testApp {
	tb.Helper()
	clock := &testClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(context.Background(), storetest.NewDatabase(tb),
		store.WithClock(clock.Now), store.WithBcryptCost(bcrypt.MinCost),
		store.WithRandom(rand.NewChaCha8([32]byte{7})))
	require.NoError(tb, err)
	log := slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := New(cfg, st, WithClock(clock.Now), WithRandom(rand.NewChaCha8([32]byte{9})), WithLogger(log))
	require.NoError(tb, err)
	tb.Cleanup(func() {
		require.NoError(tb, srv.Close())
		require.NoError(tb, st.Close())
	})
	return &testApp{srv: srv, st: st, clock: clock}
}

// testWriter sends server logs to the test's log, shown when it fails.
type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// password is the password mkUser gives a username.
func password(username string) string { return username + "-secret-pw" }

func (a *testApp) mkUser(tb testing.TB, username string, role store.Role) store.User {
	tb.Helper()
	u, err := a.st.CreateUser(context.Background(), store.NewUser{Username: username, Role: role, Password: password(username)})
	require.NoError(tb, err)
	return u
}

// client is a browser stand-in: it keeps cookies and, like a real page,
// sends the CSRF cookie's token back in forms.
type client struct {
	tb      testing.TB
	app     *testApp
	cookies map[string]*http.Cookie
	remote  string
	header  http.Header
}

func (a *testApp) client(tb testing.TB) *client {
	return &client{tb: tb, app: a, cookies: map[string]*http.Cookie{}, remote: "192.0.2.1:4000", header: http.Header{}}
}

// signedIn returns a client with a fresh session for u, made in the store
// directly (fast; the sign-in form has tests of its own).
func (a *testApp) signedIn(tb testing.TB, u store.User) *client {
	tb.Helper()
	c := a.client(tb)
	token, _, err := a.st.CreateSession(context.Background(), u.ID, time.Hour)
	require.NoError(tb, err)
	c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: token}
	return c
}

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	c.tb.Helper()
	req.RemoteAddr = c.remote
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.app.srv.Handler().ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return rec
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	c.tb.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// csrfToken makes sure the client holds a CSRF cookie, as it would after
// loading any page, and returns its token.
func (c *client) csrfToken() string {
	c.tb.Helper()
	if ck, ok := c.cookies["rtcdrill_csrf"]; ok {
		return ck.Value
	}
	c.get("/signin")
	ck, ok := c.cookies["rtcdrill_csrf"]
	require.True(c.tb, ok, "GET /signin sets the CSRF cookie")
	return ck.Value
}

// post submits a form with the CSRF token, as the page would.
func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	c.tb.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set(csrfField, c.csrfToken())
	return c.postRaw(path, f)
}

// postRaw submits a form exactly as given, without adding a CSRF token.
func (c *client) postRaw(path string, form url.Values) *httptest.ResponseRecorder {
	c.tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) signIn(username, pw string) *httptest.ResponseRecorder {
	c.tb.Helper()
	return c.post("/signin", url.Values{"username": {username}, "password": {pw}})
}

// body is the response text; unlike reading Result().Body it can be taken
// more than once.
func body(tb testing.TB, rec *httptest.ResponseRecorder) string {
	tb.Helper()
	return rec.Body.String()
}

func mustRequest(tb testing.TB, method, path string) *http.Request {
	tb.Helper()
	return httptest.NewRequest(method, path, nil)
}
