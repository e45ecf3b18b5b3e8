package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiAttemptShow is where an attempt stands: status, time left, items.
func (s *Server) apiAttemptShow(c echo.Context) error {
	a, err := s.attemptParam(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.apiAttemptOf(a))
}
