package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// minPasswordLen and maxPasswordBytes bound new passwords; bcrypt reads at
// most 72 bytes, and accepting more would silently ignore the tail.
const (
	minPasswordLen   = 10
	maxPasswordBytes = 72
)

// passwordUpdate changes the user's own password. The store ends every
// session of the user, so this one is replaced by a fresh session.
func (s *Server) passwordUpdate(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(params)
	u := currentUser(c)
	loc := s.locale(c)
	page := passwordPage{Form: f, Forced: u.MustChangePassword}
	current, next := f.Raw("current"), f.Raw("new")
	if !u.MustChangePassword && !s.store.CheckPassword(*u, current) {
		f.Fail("current", loc.T("password.wrong_current"))
	}
	checkNewPassword(f, loc, "new")
	if f.Error("new") == "" && next == current {
		f.Fail("new", loc.T("password.same"))
	}
	if f.Raw("confirm") != next {
		f.Fail("confirm", loc.T("password.mismatch"))
	}
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "password", loc.T("password.title"), page)
	}
	ctx := c.Request().Context()
	if err := s.store.SetPassword(ctx, u.ID, next, false); err != nil {
		return err
	}
	token, _, err := s.store.CreateSession(ctx, u.ID, s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	s.setFlash(c, "flash.password_changed")
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}

// checkNewPassword applies the password rules to a field, with messages
// the user can act on.
func checkNewPassword(f *form, loc *Locale, name string) {
	pw := f.Raw(name)
	switch {
	case pw == "":
		f.Fail(name, loc.T("form.required"))
	case len([]rune(pw)) < minPasswordLen:
		f.Fail(name, loc.T("form.too_short", minPasswordLen))
	case len(pw) > maxPasswordBytes:
		f.Fail(name, loc.T("password.too_long", maxPasswordBytes))
	}
}
