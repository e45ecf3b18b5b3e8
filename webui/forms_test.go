package webui

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// TestFormsKeepWhatWasTyped submits invalid forms and checks that the page
// comes back with each message next to its field, the field marked invalid,
// and every typed value (except passwords) still there.
func TestFormsKeepWhatWasTyped(t *testing.T) {
	app := newTestApp(t, Config{})
	admin := app.mkUser(t, "root", store.RoleAdmin)
	team, err := app.st.CreateTeam(t.Context(), "Cohort A", "")
	require.NoError(t, err)
	_, err = app.st.CreateTeam(t.Context(), "Cohort B", "")
	require.NoError(t, err)
	app.mkUser(t, "taken", store.RoleTrainee)
	c := app.signedIn(t, admin)

	tests := []struct {
		name     string
		path     string
		form     url.Values
		errField string
		errText  string
		kept     []string
		notKept  []string
	}{
		{
			name: "bad username", path: "/admin/users",
			form:     url.Values{"username": {"no spaces <b>"}, "display_name": {"张 三"}, "role": {"trainer"}, "team": {itoa(team.ID)}, "password": {"typed secret pw"}},
			errField: "username", errText: "Use 2 to 64 letters",
			kept:    []string{`value="no spaces &lt;b&gt;"`, `value="张 三"`, `<option value="trainer" selected>`, `<option value="` + itoa(team.ID) + `" selected>`},
			notKept: []string{"typed secret pw"},
		},
		{
			name: "taken username", path: "/admin/users",
			form:     url.Values{"username": {"TAKEN"}, "display_name": {"Someone"}, "role": {"manager"}},
			errField: "username", errText: "This username is taken.",
			kept: []string{`value="TAKEN"`, `value="Someone"`, `<option value="manager" selected>`},
		},
		{
			name: "short password", path: "/admin/users",
			form:     url.Values{"username": {"newbie"}, "role": {"trainee"}, "password": {"short"}},
			errField: "password", errText: "Use at least 10 characters.",
			kept: []string{`value="newbie"`},
		},
		{
			name: "unknown team", path: "/admin/users",
			form:     url.Values{"username": {"newbie"}, "role": {"trainee"}, "team": {"999"}},
			errField: "team", errText: "Choose one of the teams.",
			kept: []string{`value="newbie"`},
		},
		{
			name: "duplicate team", path: "/admin/teams",
			form:     url.Values{"name": {"cohort a"}, "description": {"typed description\nline two"}},
			errField: "name", errText: "A team with this name exists.",
			kept: []string{`value="cohort a"`, ">\ntyped description\nline two</textarea>"},
		},
		{
			name: "password mismatch", path: "/password",
			form:     url.Values{"current": {password("root")}, "new": {"a long new password"}, "confirm": {"a different one!!"}},
			errField: "confirm", errText: "The two passwords differ.",
			notKept: []string{"a long new password", password("root")},
		},
		{
			name: "wrong current password", path: "/password",
			form:     url.Values{"current": {"nope"}, "new": {"a long new password"}, "confirm": {"a long new password"}},
			errField: "current", errText: "This is not your current password.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.post(tt.path, tt.form)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
			page := body(t, rec)
			assert.Contains(t, page, `<p class="error" id="f-`+tt.errField+`-error">`+html.EscapeString(tt.errText))
			assert.Contains(t, page, `id="f-`+tt.errField+`"`)
			assert.Regexp(t, `id="f-`+tt.errField+`"[^>]*aria-invalid="true"`, page)
			assert.Contains(t, page, `<a href="#f-`+tt.errField+`">`, "listed in the summary with a link to the field")
			for _, k := range tt.kept {
				assert.Contains(t, page, k)
			}
			for _, k := range tt.notKept {
				assert.NotContains(t, page, k)
			}
		})
	}
	n, err := app.st.CountUsers(t.Context())
	require.NoError(t, err)
	assert.EqualValues(t, 2, n, "no invalid form created anything")
}
