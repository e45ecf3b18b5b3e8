package webui

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// requireMetricsAccess admits a scraper holding the configured token
// (Authorization: Bearer) or a signed-in admin. Others get 401 (no or a
// wrong credential) or 403 (signed in without the role), never a redirect
// to the sign-in page: a scraper cannot follow one.
func (s *Server) requireMetricsAccess(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if given, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer "); ok {
			if s.cfg.MetricsToken == "" || !sameSecret(strings.TrimSpace(given), s.cfg.MetricsToken) {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rtcdrill", error="invalid_token"`)
				return fmt.Errorf("metrics scrape token: %w", errUnauthorized)
			}
			return next(c)
		}
		u := currentUser(c)
		switch {
		case u == nil:
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rtcdrill"`)
			return fmt.Errorf("metrics: %w", errUnauthorized)
		case u.Role != store.RoleAdmin:
			return forbidden("role %s may not read metrics", u.Role)
		case u.MustChangePassword:
			return forbidden("user %d must change the password first", u.ID)
		}
		return next(c)
	}
}

// sameSecret compares in constant time; hashing first hides the length too.
func sameSecret(given, want string) bool {
	g, w := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
