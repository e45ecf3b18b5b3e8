package webui

import (
	"github.com/labstack/echo/v4"
)

// reportScenarioCSV downloads a scenario's selected submissions (grading's
// attempts CSV).
func (s *Server) reportScenarioCSV(c echo.Context) error {
	_, rep, err := s.scenarioReport(c)
	if err != nil {
		return err
	}
	return sendCSV(c, "scenario-"+rep.ScenarioID+".csv", rep.WriteCSV)
}
