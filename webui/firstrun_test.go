package webui

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestFirstRun(t *testing.T) {
	app := newTestApp(t, Config{})
	ctx := t.Context()
	first, err := FirstRun(ctx, app.st, rand.NewChaCha8([32]byte{1}))
	require.NoError(t, err)
	require.True(t, first.Created)
	assert.Equal(t, "admin", first.Username)
	assert.Len(t, first.Password, 14)

	again, err := FirstRun(ctx, app.st, rand.NewChaCha8([32]byte{2}))
	require.NoError(t, err)
	assert.False(t, again.Created, "only an empty database gets a first admin")
	assert.Empty(t, again.Password)

	c := app.client(t)
	rec := c.signIn("admin", first.Password)
	require.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/password", rec.Header().Get("Location"), "a one-time password must be replaced first")

	for _, p := range []string{"/dashboard", "/admin/users"} {
		rec = c.get(p)
		assert.Equal(t, http.StatusSeeOther, rec.Code, p)
		assert.Equal(t, "/password", rec.Header().Get("Location"), p)
	}
	rec = c.post("/admin/teams", url.Values{"name": {"x"}})
	assert.Equal(t, http.StatusForbidden, rec.Code, "no other form either")

	page := body(t, c.get("/password"))
	assert.Contains(t, page, "one-time password")
	assert.NotContains(t, page, `name="current"`, "the one-time password was just typed; not asked again")

	rec = c.post("/password", url.Values{"new": {"short"}, "confirm": {"short"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Contains(t, body(t, rec), "Use at least 10 characters.")

	rec = c.post("/password", url.Values{"new": {"my own long password"}, "confirm": {"my own long password"}})
	require.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/dashboard", rec.Header().Get("Location"))
	rec = c.get("/dashboard")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, body(t, rec), "Your password has been changed.")

	_, err = app.st.Authenticate(ctx, "admin", first.Password)
	assert.ErrorIs(t, err, store.ErrBadCredentials, "the one-time password is spent")
	u, err := app.st.Authenticate(ctx, "admin", "my own long password")
	require.NoError(t, err)
	assert.False(t, u.MustChangePassword)
}

func TestOneTimePasswords(t *testing.T) {
	r := rand.NewChaCha8([32]byte{3})
	seen := map[string]bool{}
	for range 200 {
		pw, err := newOneTimePassword(r)
		require.NoError(t, err)
		require.Len(t, pw, 14)
		for _, ch := range []byte(pw) {
			require.Contains(t, oneTimeAlphabet, string(ch))
		}
		assert.False(t, seen[pw])
		seen[pw] = true
	}
	_, err := newOneTimePassword(bytes.NewReader([]byte{1, 2, 3}))
	assert.Error(t, err, "a short random source is an error, not a weak password")
}
