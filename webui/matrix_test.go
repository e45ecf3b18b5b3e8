package webui

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// who is a column of the access matrix: anonymous or one role.
type who string

const anonymous who = "anonymous"

var everyone = []who{anonymous, who(store.RoleTrainee), who(store.RoleTrainer), who(store.RoleManager), who(store.RoleAdmin)}

// matrixRoute is a row of the access matrix: a route, a concrete request for
// it, and who may use it.
type matrixRoute struct {
	method, route, path string
	form                url.Values
	allowed             []who
}

func signedInRoles() []who { return everyone[1:] }

func matrixRoutes(traineeID, teamID uint) []matrixRoute {
	all := everyone
	users := signedInRoles()
	admin := []who{who(store.RoleAdmin)}
	trainers := []who{who(store.RoleTrainer), who(store.RoleAdmin)}
	traineesOnly := []who{who(store.RoleTrainee)}
	uid, tid := fmt.Sprint(traineeID), fmt.Sprint(teamID)
	return []matrixRoute{
		{"GET", "/healthz", "/healthz", nil, all},
		{"GET", "/metrics", "/metrics", nil, admin},
		{"GET", "/static/*", "/static/app.css", nil, all},
		{"GET", "/lang/:code", "/lang/zh-CN?next=/dashboard", nil, all},
		{"GET", "/signin", "/signin", nil, all},
		{"POST", "/signin", "/signin", url.Values{"username": {"x"}, "password": {"y"}}, all},
		{"GET", "/", "/", nil, users},
		{"GET", "/dashboard", "/dashboard", nil, users},
		{"GET", "/password", "/password", nil, users},
		{"POST", "/password", "/password", url.Values{"current": {"wrong"}}, users},
		{"POST", "/signout", "/signout", nil, users},
		{"GET", "/account", "/account", nil, users},
		{"POST", "/account/tokens", "/account/tokens", url.Values{"name": {""}}, users},
		{"POST", "/account/tokens/:id/delete", "/account/tokens/999999/delete", nil, users},
		{"POST", "/practice/:exam", "/practice/no-such-exam", nil, traineesOnly},
		{"POST", "/exams/:id/start", "/exams/999999/start", nil, traineesOnly},
		{"GET", "/attempts/:id", "/attempts/999999", nil, traineesOnly},
		{"GET", "/attempts/:id/result", "/attempts/999999/result", nil, traineesOnly},
		{"GET", "/attempts/:id/items/:pos", "/attempts/999999/items/0", nil, traineesOnly},
		{"GET", "/attempts/:id/items/:pos/stream", "/attempts/999999/items/0/stream", nil, traineesOnly},
		{"POST", "/attempts/:id/items/:pos/remedies", "/attempts/999999/items/0/remedies", url.Values{"remedy": {"restart_call"}}, traineesOnly},
		{"POST", "/attempts/:id/items/:pos/tools/:tool", "/attempts/999999/items/0/tools/ping", nil, traineesOnly},
		{"GET", "/attempts/:id/items/:pos/capture.pcap", "/attempts/999999/items/0/capture.pcap", nil, traineesOnly},
		{"POST", "/attempts/:id/items/:pos/answer", "/attempts/999999/items/0/answer", url.Values{"root_cause": {""}}, traineesOnly},
		{"POST", "/attempts/:id/items/:pos/submit", "/attempts/999999/items/0/submit", url.Values{"root_cause": {""}}, traineesOnly},
		{"GET", "/attempts/:id/items/:pos/review", "/attempts/999999/items/0/review", nil, traineesOnly},
		{"POST", "/attempts/:id/items/:pos/customer-view/offer", "/attempts/999999/items/0/customer-view/offer", nil, traineesOnly},
		{"POST", "/attempts/:id/items/:pos/customer-view/stats", "/attempts/999999/items/0/customer-view/stats", nil, traineesOnly},
		{"POST", "/attempts/:id/items/:pos/customer-view/close", "/attempts/999999/items/0/customer-view/close", url.Values{"id": {"1"}}, traineesOnly},
		{"GET", "/api/v1/openapi.json", "/api/v1/openapi.json", nil, all},
		{"GET", "/api/v1/exams", "/api/v1/exams", nil, traineesOnly},
		{"POST", "/api/v1/attempts", "/api/v1/attempts", nil, traineesOnly},
		{"GET", "/api/v1/attempts/:id", "/api/v1/attempts/999999", nil, traineesOnly},
		{"GET", "/api/v1/attempts/:id/result", "/api/v1/attempts/999999/result", nil, traineesOnly},
		{"GET", "/api/v1/attempts/:id/items/:pos", "/api/v1/attempts/999999/items/0", nil, traineesOnly},
		{"GET", "/api/v1/attempts/:id/items/:pos/samples", "/api/v1/attempts/999999/items/0/samples", nil, traineesOnly},
		{"GET", "/api/v1/attempts/:id/items/:pos/stream", "/api/v1/attempts/999999/items/0/stream", nil, traineesOnly},
		{"GET", "/api/v1/attempts/:id/items/:pos/log", "/api/v1/attempts/999999/items/0/log", nil, traineesOnly},
		{"POST", "/api/v1/attempts/:id/items/:pos/remedies", "/api/v1/attempts/999999/items/0/remedies", nil, traineesOnly},
		{"POST", "/api/v1/attempts/:id/items/:pos/tools/:tool", "/api/v1/attempts/999999/items/0/tools/ping", nil, traineesOnly},
		{"POST", "/api/v1/attempts/:id/items/:pos/answer", "/api/v1/attempts/999999/items/0/answer", nil, traineesOnly},
		{"POST", "/api/v1/attempts/:id/items/:pos/submit", "/api/v1/attempts/999999/items/0/submit", nil, traineesOnly},
		{"GET", "/trainer/scenarios", "/trainer/scenarios", nil, trainers},
		{"GET", "/trainer/scenarios/:file", "/trainer/scenarios/wifi-high-rtt.yaml", nil, trainers},
		{"POST", "/trainer/scenarios/:file", "/trainer/scenarios/wifi-high-rtt.yaml", url.Values{"yaml": {"x: 1"}, "action": {"validate"}}, trainers},
		{"GET", "/trainer/scenarios/exams/:file", "/trainer/scenarios/exams/practice.yaml", nil, trainers},
		{"POST", "/trainer/scenarios/exams/:file", "/trainer/scenarios/exams/practice.yaml", url.Values{"yaml": {"x: 1"}, "action": {"validate"}}, trainers},
		{"GET", "/trainer/exams", "/trainer/exams", nil, trainers},
		{"GET", "/trainer/exams/new", "/trainer/exams/new", nil, trainers},
		{"POST", "/trainer/exams", "/trainer/exams", url.Values{"title": {""}}, trainers},
		{"GET", "/trainer/exams/:id/edit", "/trainer/exams/1/edit", nil, trainers},
		{"POST", "/trainer/exams/:id", "/trainer/exams/1", url.Values{"title": {""}}, trainers},
		{"GET", "/reports", "/reports", nil, []who{who(store.RoleTrainer), who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/trainees/:id", "/reports/trainees/" + uid, nil, []who{who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/trainees/:id/export.csv", "/reports/trainees/" + uid + "/export.csv", nil, []who{who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/teams/:id", "/reports/teams/" + tid + "?by=members", nil, []who{who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/teams/:id/export.csv", "/reports/teams/" + tid + "/export.csv", nil, []who{who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/scenarios/:id", "/reports/scenarios/wifi-high-rtt", nil, []who{who(store.RoleTrainer), who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/scenarios/:id/export.csv", "/reports/scenarios/wifi-high-rtt/export.csv", nil, []who{who(store.RoleTrainer), who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/exams/:id", "/reports/exams/1", nil, []who{who(store.RoleTrainer), who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/reports/exams/:id/export.csv", "/reports/exams/1/export.csv", nil, []who{who(store.RoleTrainer), who(store.RoleManager), who(store.RoleAdmin)}},
		{"GET", "/admin/users", "/admin/users", nil, admin},
		{"GET", "/admin/users/new", "/admin/users/new", nil, admin},
		{"POST", "/admin/users", "/admin/users", url.Values{"username": {"!"}}, admin},
		{"GET", "/admin/users/:id/edit", "/admin/users/" + uid + "/edit", nil, admin},
		{"POST", "/admin/users/:id", "/admin/users/" + uid, url.Values{"role": {"trainee"}, "display_name": {"T"}}, admin},
		{"GET", "/admin/users/import", "/admin/users/import", nil, admin},
		{"POST", "/admin/users/import", "/admin/users/import", url.Values{"csv": {"username,role\n"}}, admin},
		{"GET", "/admin/teams", "/admin/teams", nil, admin},
		{"GET", "/admin/teams/new", "/admin/teams/new", nil, admin},
		{"POST", "/admin/teams", "/admin/teams", url.Values{"name": {""}}, admin},
		{"GET", "/admin/teams/:id/edit", "/admin/teams/" + tid + "/edit", nil, admin},
		{"POST", "/admin/teams/:id", "/admin/teams/" + tid, url.Values{"name": {"Cohort A"}}, admin},
	}
}

// TestAccessMatrix checks every route for every role: allowed requests get
// past authorisation (whatever the handler then answers), denied ones are
// refused — anonymous page visits by a redirect to sign in, anonymous posts
// with 401, signed-in users without the role with 403.
func TestAccessMatrix(t *testing.T) {
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
	team, err := app.st.CreateTeam(t.Context(), "Cohort A", "")
	require.NoError(t, err)
	users := map[who]store.User{}
	for _, w := range signedInRoles() {
		users[w] = app.mkUser(t, "user-"+string(w), store.Role(w))
	}
	routes := matrixRoutes(users[who(store.RoleTrainee)].ID, team.ID)
	tokens := apiTokens(t, app, users)

	t.Run("matrix covers every registered route", func(t *testing.T) {
		var registered, covered []string
		for _, r := range app.srv.echo.Routes() {
			if r.Method == http.MethodGet || r.Method == http.MethodPost {
				registered = append(registered, r.Method+" "+r.Path)
			}
		}
		for _, r := range routes {
			covered = append(covered, r.method+" "+r.route)
		}
		sort.Strings(registered)
		sort.Strings(covered)
		assert.Equal(t, registered, covered)
	})

	for _, r := range routes {
		for _, w := range everyone {
			allowed := false
			for _, a := range r.allowed {
				allowed = allowed || a == w
			}
			name := fmt.Sprintf("%s %s as %s", r.method, r.route, w)
			t.Run(name, func(t *testing.T) {
				c := app.client(t)
				if w != anonymous {
					c = app.signedIn(t, users[w])
				}
				if strings.HasPrefix(r.path, "/api/v1/") && w != anonymous {
					c.header.Set("Authorization", "Bearer "+tokens[w])
				}
				var rec = c.get(r.path)
				if r.method == http.MethodPost {
					rec = c.post(r.path, r.form)
				}
				loc := rec.Header().Get("Location")
				deniedAnon := rec.Code == http.StatusUnauthorized ||
					(rec.Code == http.StatusSeeOther && strings.HasPrefix(loc, "/signin?next="))
				switch {
				case allowed:
					assert.NotContains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, rec.Code, "location %q", loc)
					assert.False(t, deniedAnon, "sent to sign in: %d %q", rec.Code, loc)
					assert.Less(t, rec.Code, 500)
				case w == anonymous:
					assert.True(t, deniedAnon, "anonymous should be sent to sign in, got %d %q", rec.Code, loc)
				default:
					assert.Equal(t, http.StatusForbidden, rec.Code)
				}
			})
		}
	}
}
