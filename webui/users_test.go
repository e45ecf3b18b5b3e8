package webui

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestAdminManagesUsers(t *testing.T) {
	app := newTestApp(t, Config{})
	ctx := t.Context()
	admin := app.mkUser(t, "root", store.RoleAdmin)
	team, err := app.st.CreateTeam(ctx, "Cohort A", "")
	require.NoError(t, err)
	c := app.signedIn(t, admin)

	t.Run("create with a password", func(t *testing.T) {
		rec := c.post("/admin/users", url.Values{"username": {"ana"}, "display_name": {"Ana"}, "role": {"trainee"},
			"team": {itoa(team.ID)}, "password": {"ana's own password"}})
		require.Equal(t, http.StatusSeeOther, rec.Code)
		assert.Equal(t, "/admin/users", rec.Header().Get("Location"))
		list := body(t, c.get("/admin/users"))
		assert.Contains(t, list, "The user has been created.")
		assert.Contains(t, list, "Cohort A")
		assert.Equal(t, http.StatusSeeOther, app.client(t).signIn("ana", "ana's own password").Code)
	})
	t.Run("create with a generated password", func(t *testing.T) {
		rec := c.post("/admin/users", url.Values{"username": {"bo"}, "role": {"manager"}})
		require.Equal(t, http.StatusCreated, rec.Code)
		m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(body(t, rec))
		require.Len(t, m, 2)
		rec = app.client(t).signIn("bo", m[1])
		assert.Equal(t, "/password", rec.Header().Get("Location"))
	})
	t.Run("edit role, team and state", func(t *testing.T) {
		ana, err := app.st.UserByUsername(ctx, "ana")
		require.NoError(t, err)
		page := body(t, c.get("/admin/users/"+itoa(ana.ID)+"/edit"))
		assert.Contains(t, page, `value="Ana"`, "the form starts from the record")
		assert.Contains(t, page, `<option value="trainee" selected>`)

		rec := c.post("/admin/users/"+itoa(ana.ID), url.Values{"display_name": {"Ana L."}, "role": {"trainer"}, "disabled": {"on"}})
		require.Equal(t, http.StatusSeeOther, rec.Code)
		got, err := app.st.User(ctx, ana.ID)
		require.NoError(t, err)
		assert.Equal(t, "Ana L.", got.DisplayName)
		assert.Equal(t, store.RoleTrainer, got.Role)
		assert.Nil(t, got.TeamID, "no team chosen")
		assert.True(t, got.Disabled)
		assert.Equal(t, http.StatusUnprocessableEntity, app.client(t).signIn("ana", "ana's own password").Code)
	})
	t.Run("reset a password", func(t *testing.T) {
		bo, err := app.st.UserByUsername(ctx, "bo")
		require.NoError(t, err)
		rec := c.post("/admin/users/"+itoa(bo.ID), url.Values{"role": {"manager"}, "password": {"reset by admin!"}})
		require.Equal(t, http.StatusSeeOther, rec.Code)
		rec = app.client(t).signIn("bo", "reset by admin!")
		assert.Equal(t, "/password", rec.Header().Get("Location"), "an admin-set password is one-time")
	})
	t.Run("admins cannot lock themselves out", func(t *testing.T) {
		rec := c.post("/admin/users/"+itoa(admin.ID), url.Values{"role": {"trainee"}, "disabled": {"on"}})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		page := body(t, rec)
		assert.Contains(t, page, "You cannot disable your own account.")
		assert.Contains(t, page, "You cannot take the admin role away from yourself.")
		got, err := app.st.User(ctx, admin.ID)
		require.NoError(t, err)
		assert.Equal(t, store.RoleAdmin, got.Role)
	})
	t.Run("unknown user", func(t *testing.T) {
		assert.Equal(t, http.StatusNotFound, c.get("/admin/users/999/edit").Code)
		assert.Equal(t, http.StatusNotFound, c.get("/admin/users/abc/edit").Code)
		assert.Equal(t, http.StatusNotFound, c.post("/admin/users/999", url.Values{"role": {"trainee"}}).Code)
	})
}

func TestAdminManagesTeams(t *testing.T) {
	app := newTestApp(t, Config{})
	c := app.signedIn(t, app.mkUser(t, "root", store.RoleAdmin))
	rec := c.post("/admin/teams", url.Values{"name": {"Support L1"}, "description": {"first line"}})
	require.Equal(t, http.StatusSeeOther, rec.Code)
	team, err := app.st.TeamByName(t.Context(), "support l1")
	require.NoError(t, err)
	assert.Equal(t, "first line", team.Description)

	rec = c.post("/admin/teams/"+itoa(team.ID), url.Values{"name": {"Support L2"}, "description": {""}})
	require.Equal(t, http.StatusSeeOther, rec.Code)
	list := body(t, c.get("/admin/teams"))
	assert.Contains(t, list, "Support L2")
	assert.Contains(t, list, "The team has been saved.")
	assert.NotContains(t, list, "Support L1")
	assert.Equal(t, http.StatusNotFound, c.get("/admin/teams/999/edit").Code)
}
