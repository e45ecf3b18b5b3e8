package webui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// Context keys and cookie names shared by middleware and handlers.
const (
	sessionCookie    = "rtcdrill_session"
	userContextKey   = "rtcdrill.user"
	localeContextKey = "rtcdrill.locale"
	csrfContextKey   = "rtcdrill.csrf"
	csrfField        = "_csrf"
)

// secure tells whether cookies for this request must be Secure: always when
// configured, else when the request came over TLS.
func (s *Server) secure(c echo.Context) bool {
	return s.cfg.SecureCookies || c.IsTLS()
}

// setSessionCookie hands the browser its session token. HttpOnly keeps it
// from scripts; SameSite=Lax keeps it off cross-site POSTs.
func (s *Server) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: int(s.cfg.SessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c),
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c),
	})
}

// loadSession puts the signed-in user, if any, in the context. A stale
// cookie is cleared; other store failures surface as errors, not as a
// silently signed-out user.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		u, _, err := s.store.SessionUser(c.Request().Context(), ck.Value)
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.clearSessionCookie(c)
		case err != nil:
			return err
		default:
			c.Set(userContextKey, &u)
		}
		return next(c)
	}
}

// currentUser is the signed-in user, or nil.
func currentUser(c echo.Context) *store.User {
	u, _ := c.Get(userContextKey).(*store.User)
	return u
}

// requireUser admits signed-in users. A page visit without a session goes to
// the sign-in page and comes back afterwards; a user who must change the
// password can do only that (or sign out) until it is done.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		path := c.Request().URL.Path
		if u == nil {
			if c.Request().Method == http.MethodGet {
				return c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			return errUnauthorized
		}
		if u.MustChangePassword && path != "/password" && path != "/signout" {
			if c.Request().Method == http.MethodGet {
				return c.Redirect(http.StatusSeeOther, "/password")
			}
			return forbidden("user %d must change the password first", u.ID)
		}
		return next(c)
	}
}

// requireRole admits users holding one of roles. It runs after requireUser.
func requireRole(roles ...store.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				return errUnauthorized
			}
			if !slices.Contains(roles, u.Role) {
				return forbidden("role %s may not %s %s", u.Role, c.Request().Method, c.Request().URL.Path)
			}
			return next(c)
		}
	}
}

// localPath returns next if it is a path on this site, else fallback, so
// that ?next= cannot send a user to another site after signing in.
func localPath(next, fallback string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}
