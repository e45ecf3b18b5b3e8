package webui

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// teamUpdate saves a team's new name and description.
func (s *Server) teamUpdate(c echo.Context) error {
	t, err := s.teamParam(c)
	if err != nil {
		return err
	}
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(params)
	loc := s.locale(c)
	readTeamForm(f, loc)
	if f.OK() {
		_, err = s.store.UpdateTeam(c.Request().Context(), t.ID, f.Value("name"), f.Value("description"))
		switch {
		case errors.Is(err, store.ErrConflict):
			f.Fail("name", loc.T("team.name_taken"))
		case err != nil:
			return err
		}
	}
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "team_form", loc.T("team.edit_title", t.Name),
			teamFormPage{Form: f, Editing: &t})
	}
	s.setFlash(c, "flash.team_updated")
	return c.Redirect(http.StatusSeeOther, "/admin/teams")
}
