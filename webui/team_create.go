package webui

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// teamCreate adds a team.
func (s *Server) teamCreate(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(params)
	loc := s.locale(c)
	page := teamFormPage{Form: f}
	readTeamForm(f, loc)
	if f.OK() {
		_, err = s.store.CreateTeam(c.Request().Context(), f.Value("name"), f.Value("description"))
		switch {
		case errors.Is(err, store.ErrConflict):
			f.Fail("name", loc.T("team.name_taken"))
		case err != nil:
			return err
		}
	}
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "team_form", loc.T("team.new_title"), page)
	}
	s.setFlash(c, "flash.team_created")
	return c.Redirect(http.StatusSeeOther, "/admin/teams")
}
