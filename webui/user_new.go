package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// userNew shows an empty user form, with trainee pre-selected as the most
// common case.
func (s *Server) userNew(c echo.Context) error {
	teams, err := s.store.Teams(c.Request().Context())
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("role", string(store.RoleTrainee))
	return s.render(c, http.StatusOK, "user_form", s.locale(c).T("user.new_title"), userFormPage{Form: f, Teams: teams})
}
