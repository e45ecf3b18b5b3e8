package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiItemTool runs a diagnostic tool on the live call and returns its
// output as text and its figures (ping replies and summary, traceroute
// hops, or the servers' dashboard).
func (s *Server) apiItemTool(c echo.Context) error {
	_, _, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	run, err := s.runTool(c.Request().Context(), spec, c.Param("tool"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}
