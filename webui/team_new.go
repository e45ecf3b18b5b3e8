package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// teamFormPage is the data of the team create/edit template.
type teamFormPage struct {
	Form *form
	// Editing is the team being edited, nil when creating.
	Editing *store.Team
}

// teamNew shows an empty team form.
func (s *Server) teamNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "team_form", s.locale(c).T("team.new_title"), teamFormPage{Form: newForm(nil)})
}

// readTeamForm validates a team form.
func readTeamForm(f *form, loc *Locale) {
	checkLength(f, loc, "name", 1, 60)
	checkLength(f, loc, "description", 0, 500)
}
