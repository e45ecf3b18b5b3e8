package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// teamListPage is the data of the team list template.
type teamListPage struct {
	Teams []teamRow
}

// teamList shows every team with its size.
func (s *Server) teamList(c echo.Context) error {
	rows, err := s.teamRows(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "teams", s.locale(c).T("teams.title"), teamListPage{Teams: rows})
}
