package webui

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// TestMetricsAccess checks who may read /metrics: a signed-in admin, or a
// scraper with the configured token (and none when no token is
// configured); everyone else is refused with 401 or 403 and no metrics.
func TestMetricsAccess(t *testing.T) {
	withToken := newTestApp(t, Config{MetricsToken: testMetricsToken})
	without := newTestApp(t, Config{})
	ctx := context.Background()
	users := func(app *testApp, name string, role store.Role, mustChange bool) store.User {
		u, err := app.st.CreateUser(ctx, store.NewUser{Username: name, Role: role,
			Password: password(name), MustChangePassword: mustChange})
		require.NoError(t, err)
		return u
	}
	admin := users(withToken, "ada", store.RoleAdmin, false)
	newAdmin := users(withToken, "ned", store.RoleAdmin, true)
	trainer := users(withToken, "tom", store.RoleTrainer, false)
	manager := users(withToken, "meg", store.RoleManager, false)
	adminElsewhere := users(without, "abe", store.RoleAdmin, false)

	tests := []struct {
		name   string
		app    *testApp
		user   *store.User
		header string
		want   int
	}{
		{"admin session", withToken, &admin, "", http.StatusOK},
		{"scrape token", withToken, nil, "Bearer " + testMetricsToken, http.StatusOK},
		{"admin session where no token is set", without, &adminElsewhere, "", http.StatusOK},
		{"anonymous", withToken, nil, "", http.StatusUnauthorized},
		{"wrong token", withToken, nil, "Bearer " + testMetricsToken + "x", http.StatusUnauthorized},
		{"token prefix", withToken, nil, "Bearer " + testMetricsToken[:8], http.StatusUnauthorized},
		{"empty bearer", withToken, nil, "Bearer ", http.StatusUnauthorized},
		{"any token where none is set", without, nil, "Bearer " + testMetricsToken, http.StatusUnauthorized},
		{"wrong token beats an admin session", withToken, &admin, "Bearer nope", http.StatusUnauthorized},
		{"basic auth", withToken, nil, "Basic YWRtaW46eA==", http.StatusUnauthorized},
		{"trainer", withToken, &trainer, "", http.StatusForbidden},
		{"manager", withToken, &manager, "", http.StatusForbidden},
		{"admin who must change the password", withToken, &newAdmin, "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.app.client(t)
			if tt.user != nil {
				c = tt.app.signedIn(t, *tt.user)
			}
			if tt.header != "" {
				c.header.Set("Authorization", tt.header)
			}
			rec := c.get("/metrics")
			assert.Equal(t, tt.want, rec.Code)
			if tt.want == http.StatusOK {
				parseMetrics(t, rec.Body.String())
				assert.Contains(t, rec.Body.String(), "rtcdrill_live_calls ")
				return
			}
			assert.NotContains(t, rec.Body.String(), "rtcdrill_live_calls")
			assert.Empty(t, rec.Header().Get("Location"), "a scraper gets a status, not the sign-in page")
			if tt.want == http.StatusUnauthorized {
				assert.Contains(t, rec.Header().Get("WWW-Authenticate"), "Bearer")
			}
		})
	}
}
