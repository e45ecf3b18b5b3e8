package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// userUpdate saves an admin's changes to an account. A new password is a
// one-time one: the user must replace it at the next sign-in. Admins cannot
// disable or demote themselves, which could leave nobody to administer,
// nor set their own password here (the password page asks for the current one).
func (s *Server) userUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	target, err := s.userParam(c)
	if err != nil {
		return err
	}
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return err
	}
	f := newForm(params)
	loc := s.locale(c)
	title := loc.T("user.edit_title", target.Username)
	in := readUserForm(f, loc, teams, false)
	if me := currentUser(c); me.ID == target.ID {
		if in.Disabled {
			f.Fail("disabled", loc.T("user.cannot_disable_self"))
		}
		if in.Role != "" && in.Role != store.RoleAdmin {
			f.Fail("role", loc.T("user.cannot_demote_self"))
		}
		if in.Password != "" {
			f.Fail("password", loc.T("user.own_password_here"))
		}
	}
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "user_form", title,
			userFormPage{Form: f, Teams: teams, Editing: &target})
	}
	if _, err := s.store.UpdateUser(ctx, target.ID, store.UserUpdate{
		DisplayName: in.DisplayName, Role: in.Role, TeamID: in.TeamID, Disabled: in.Disabled,
	}); err != nil {
		return err
	}
	if in.Password != "" {
		if err := s.store.SetPassword(ctx, target.ID, in.Password, true); err != nil {
			return err
		}
	}
	s.setFlash(c, "flash.user_updated")
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}
