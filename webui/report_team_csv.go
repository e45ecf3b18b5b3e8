package webui

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

// reportTeamCSV downloads a team's ranked members (grading's members CSV).
func (s *Server) reportTeamCSV(c echo.Context) error {
	team, _, rep, err := s.teamReport(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("team-%d.csv", team.ID)
	if byMembers(c) {
		name = fmt.Sprintf("cohort-%d.csv", team.ID)
	}
	return sendCSV(c, name, rep.WriteCSV)
}
