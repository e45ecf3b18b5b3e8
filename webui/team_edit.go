package webui

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// teamEdit shows a team's form filled from the record.
func (s *Server) teamEdit(c echo.Context) error {
	t, err := s.teamParam(c)
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("name", t.Name)
	f.Set("description", t.Description)
	return s.render(c, http.StatusOK, "team_form", s.locale(c).T("team.edit_title", t.Name),
		teamFormPage{Form: f, Editing: &t})
}

// teamParam loads the team named by the :id path parameter.
func (s *Server) teamParam(c echo.Context) (store.Team, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return store.Team{}, echo.ErrNotFound
	}
	return s.store.Team(c.Request().Context(), uint(id))
}
