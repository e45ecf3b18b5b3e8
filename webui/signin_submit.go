package webui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// signinSubmit checks the credentials, within the rate limit for this
// address and username, and starts a session.
func (s *Server) signinSubmit(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(params)
	loc := s.locale(c)
	page := signinPage{Form: f, Next: localPath(f.Value("next"), "/dashboard")}
	title := loc.T("signin.title")
	username, password := f.Value("username"), f.Raw("password")
	if username == "" {
		f.Fail("username", loc.T("form.required"))
	}
	if password == "" {
		f.Fail("password", loc.T("form.required"))
	}
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "signin", title, page)
	}
	key := c.RealIP() + "\x00" + strings.ToLower(username)
	if !s.limiter.allow(key, s.now()) {
		f.Fail("username", loc.T("signin.too_many"))
		return s.render(c, http.StatusTooManyRequests, "signin", title, page)
	}
	u, err := s.store.Authenticate(c.Request().Context(), username, password)
	if errors.Is(err, store.ErrBadCredentials) {
		f.Fail("password", loc.T("signin.bad_credentials"))
		return s.render(c, http.StatusUnprocessableEntity, "signin", title, page)
	}
	if err != nil {
		return err
	}
	token, _, err := s.store.CreateSession(c.Request().Context(), u.ID, s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	if u.MustChangePassword {
		return c.Redirect(http.StatusSeeOther, "/password")
	}
	return c.Redirect(http.StatusSeeOther, page.Next)
}
