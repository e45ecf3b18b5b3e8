package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// userCreatedPage is the data of the page shown once after creating a user
// with a generated password.
type userCreatedPage struct {
	Users []createdUser
}

// createdUser is a new account and, if one was generated, its one-time
// password.
type createdUser struct {
	User     store.User
	Password string
}

// userCreate adds an account. With a generated password the result page
// shows it once; otherwise it is back to the list.
func (s *Server) userCreate(c echo.Context) error {
	ctx := c.Request().Context()
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
	page := userFormPage{Form: f, Teams: teams}
	in := readUserForm(f, loc, teams, true)
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "user_form", loc.T("user.new_title"), page)
	}
	u, oneTime, err := s.createUser(ctx, f, loc, in)
	if err != nil {
		return err
	}
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "user_form", loc.T("user.new_title"), page)
	}
	if oneTime != "" {
		return s.render(c, http.StatusCreated, "users_created", loc.T("users.created_title"),
			userCreatedPage{Users: []createdUser{{User: u, Password: oneTime}}})
	}
	s.setFlash(c, "flash.user_created")
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}
