package webui

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

// reportExamCSV downloads an exam's sittings with their item scores
// (grading's sittings CSV).
func (s *Server) reportExamCSV(c echo.Context) error {
	_, re, rep, ok, err := s.examReport(c)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("exam %d has no scenario in the library: %w", re.Exam.ID, echo.ErrNotFound)
	}
	return sendCSV(c, fmt.Sprintf("exam-%d.csv", re.Exam.ID), rep.WriteCSV)
}
