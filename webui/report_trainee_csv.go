package webui

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

// reportTraineeCSV downloads a trainee's attempts (grading's attempts CSV).
func (s *Server) reportTraineeCSV(c echo.Context) error {
	u, _, rep, err := s.traineeReport(c)
	if err != nil {
		return err
	}
	return sendCSV(c, fmt.Sprintf("trainee-%d.csv", u.ID), rep.WriteCSV)
}
