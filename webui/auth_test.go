package webui

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestCSRF(t *testing.T) {
	app := newTestApp(t, Config{})
	admin := app.mkUser(t, "root", store.RoleAdmin)
	app.mkUser(t, "ana", store.RoleTrainee)
	signin := url.Values{"username": {"ana"}, "password": {password("ana")}}

	tests := []struct {
		name    string
		path    string
		asAdmin bool
		prepare func(c *client, form url.Values)
		want    int
	}{
		{"no token", "/signin", false, func(*client, url.Values) {}, http.StatusForbidden},
		{"wrong token", "/signin", false, func(c *client, f url.Values) { c.csrfToken(); f.Set(csrfField, "forged") }, http.StatusForbidden},
		{"token without its cookie", "/signin", false, func(c *client, f url.Values) {
			f.Set(csrfField, c.csrfToken())
			delete(c.cookies, "rtcdrill_csrf")
		}, http.StatusForbidden},
		{"cross-site fetch metadata", "/signin", false, func(c *client, f url.Values) {
			f.Set(csrfField, c.csrfToken())
			c.header.Set("Sec-Fetch-Site", "cross-site")
		}, http.StatusForbidden},
		{"matching token", "/signin", false, func(c *client, f url.Values) { f.Set(csrfField, c.csrfToken()) }, http.StatusSeeOther},
		{"same-origin fetch metadata", "/signin", false, func(c *client, _ url.Values) { c.header.Set("Sec-Fetch-Site", "same-origin") }, http.StatusSeeOther},
		{"admin form without token", "/admin/teams", true, func(*client, url.Values) {}, http.StatusForbidden},
		{"admin form with token", "/admin/teams", true, func(c *client, f url.Values) { f.Set(csrfField, c.csrfToken()) }, http.StatusSeeOther},
		{"sign-out without token", "/signout", true, func(*client, url.Values) {}, http.StatusForbidden},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client(t)
			form := url.Values{}
			for k, v := range signin {
				form[k] = v
			}
			if tt.asAdmin {
				c = app.signedIn(t, admin)
				form = url.Values{"name": {"Team " + string(rune('A'+i))}}
			}
			tt.prepare(c, form)
			rec := c.postRaw(tt.path, form)
			assert.Equal(t, tt.want, rec.Code, body(t, rec))
			if tt.want == http.StatusForbidden {
				assert.NotContains(t, rec.Result().Header.Values("Set-Cookie"), sessionCookie)
			}
		})
	}
}

// TestEveryFormCarriesCSRF renders each page with a form and checks that
// every POST form has the hidden token field.
func TestEveryFormCarriesCSRF(t *testing.T) {
	app := newTestApp(t, Config{})
	admin := app.mkUser(t, "root", store.RoleAdmin)
	team, err := app.st.CreateTeam(t.Context(), "Cohort A", "")
	require.NoError(t, err)
	c := app.signedIn(t, admin)
	for _, p := range []string{"/dashboard", "/password", "/admin/users", "/admin/users/new", "/admin/users/1/edit",
		"/admin/users/import", "/admin/teams", "/admin/teams/new", "/admin/teams/" + itoa(team.ID) + "/edit"} {
		t.Run(p, func(t *testing.T) {
			rec := c.get(p)
			require.Equal(t, http.StatusOK, rec.Code)
			html := body(t, rec)
			forms := strings.Count(html, `<form method="post"`)
			assert.Positive(t, forms, "the layout's sign-out form at least")
			assert.Equal(t, forms, strings.Count(html, `name="_csrf" value="`+c.cookies["rtcdrill_csrf"].Value+`"`))
		})
	}
}

func TestSignInRateLimit(t *testing.T) {
	app := newTestApp(t, Config{SignInBurst: 3, SignInEvery: 10 * time.Second})
	app.mkUser(t, "ana", store.RoleTrainee)
	app.mkUser(t, "bo", store.RoleTrainee)
	c := app.client(t)
	for i := range 3 {
		rec := c.signIn("ana", "wrong")
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "attempt %d", i+1)
	}
	tests := []struct {
		name   string
		remote string
		user   string
		pw     string
		want   int
	}{
		{"fourth try, even with the right password", "192.0.2.1:4000", "ana", password("ana"), http.StatusTooManyRequests},
		{"username case does not dodge it", "192.0.2.1:4000", "ANA", password("ana"), http.StatusTooManyRequests},
		{"another user from the same address", "192.0.2.1:4000", "bo", password("bo"), http.StatusSeeOther},
		{"same user from another address", "198.51.100.7:4000", "ana", password("ana"), http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client(t)
			c.remote = tt.remote
			rec := c.signIn(tt.user, tt.pw)
			assert.Equal(t, tt.want, rec.Code)
			if tt.want == http.StatusTooManyRequests {
				assert.Contains(t, body(t, rec), "Too many sign-in attempts")
				assert.NotContains(t, c.cookies, sessionCookie)
			}
		})
	}
	t.Run("one more attempt after the refill interval", func(t *testing.T) {
		app.clock.Advance(10 * time.Second)
		assert.Equal(t, http.StatusSeeOther, c.signIn("ana", password("ana")).Code)
		assert.Equal(t, http.StatusTooManyRequests, c.signIn("ana", password("ana")).Code)
	})
}

func TestLimiterEvictsRefilledBuckets(t *testing.T) {
	l := newLimiter(time.Second, 1, 4)
	t0 := time.Unix(0, 0)
	for _, k := range []string{"a", "b", "c", "d"} {
		require.True(t, l.allow(k, t0))
	}
	assert.False(t, l.allow("a", t0))
	require.True(t, l.allow("e", t0.Add(2*time.Second)), "a full table evicts refilled keys first")
	assert.LessOrEqual(t, len(l.buckets), 4)
	assert.True(t, l.allow("a", t0.Add(2*time.Second)))
}

func TestSessionCookieFlags(t *testing.T) {
	tests := []struct {
		name       string
		cfg        Config
		tls        bool
		wantSecure bool
	}{
		{"plain http", Config{}, false, false},
		{"tls", Config{}, true, true},
		{"behind a tls proxy", Config{SecureCookies: true}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newTestApp(t, tt.cfg)
			app.mkUser(t, "ana", store.RoleTrainee)
			c := app.client(t)
			form := url.Values{"username": {"ana"}, "password": {password("ana")}, csrfField: {c.csrfToken()}}
			req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			rec := c.do(req)
			require.Equal(t, http.StatusSeeOther, rec.Code)
			var sess *http.Cookie
			for _, ck := range rec.Result().Cookies() {
				if ck.Name == sessionCookie {
					sess = ck
				}
			}
			require.NotNil(t, sess)
			assert.True(t, sess.HttpOnly)
			assert.Equal(t, http.SameSiteLaxMode, sess.SameSite)
			assert.Equal(t, tt.wantSecure, sess.Secure)
			assert.Equal(t, "/", sess.Path)
		})
	}
}

func TestSignInAndOut(t *testing.T) {
	app := newTestApp(t, Config{})
	app.mkUser(t, "ana", store.RoleTrainee)
	c := app.client(t)

	rec := c.get("/admin/users?x=1")
	require.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/signin?next=%2Fadmin%2Fusers%3Fx%3D1", rec.Header().Get("Location"))

	rec = c.post("/signin", url.Values{"username": {"ana"}, "password": {password("ana")}, "next": {"/dashboard?tab=1"}})
	require.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/dashboard?tab=1", rec.Header().Get("Location"), "back to where the user was going")
	token := c.cookies[sessionCookie].Value

	rec = c.get("/dashboard")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, body(t, rec), "ana")

	rec = c.post("/signout", nil)
	require.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/signin", rec.Header().Get("Location"))
	assert.Contains(t, body(t, c.get("/signin")), "You have signed out.")

	replay := app.client(t)
	replay.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: token}
	rec = replay.get("/dashboard")
	assert.Equal(t, http.StatusSeeOther, rec.Code, "the old token is dead on the server, not just in the browser")

	t.Run("next cannot leave the site", func(t *testing.T) {
		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			c := app.client(t)
			rec := c.post("/signin", url.Values{"username": {"ana"}, "password": {password("ana")}, "next": {next}})
			assert.Equal(t, "/dashboard", rec.Header().Get("Location"), next)
		}
	})
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
