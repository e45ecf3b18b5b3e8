package webui

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// userEdit shows a user's form filled from the record.
func (s *Server) userEdit(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("display_name", u.DisplayName)
	f.Set("role", string(u.Role))
	if u.TeamID != nil {
		f.Set("team", strconv.FormatUint(uint64(*u.TeamID), 10))
	}
	if u.Disabled {
		f.Set("disabled", "on")
	}
	return s.render(c, http.StatusOK, "user_form", s.locale(c).T("user.edit_title", u.Username),
		userFormPage{Form: f, Teams: teams, Editing: &u})
}

// userParam loads the user named by the :id path parameter.
func (s *Server) userParam(c echo.Context) (store.User, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return store.User{}, echo.ErrNotFound
	}
	return s.store.User(c.Request().Context(), uint(id))
}
