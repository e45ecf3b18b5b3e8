package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// itemTool runs a diagnostic tool (ping, traceroute, the servers' dashboard)
// on the item's live call. The page's script shows the output in place; a
// plain form post comes back to the page, which lists every run.
func (s *Server) itemTool(c echo.Context) error {
	a, it, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	run, err := s.runTool(c.Request().Context(), spec, c.Param("tool"))
	if err != nil {
		return err
	}
	if wantsJSON(c) {
		return c.JSON(http.StatusOK, run)
	}
	return c.Redirect(http.StatusSeeOther, itemURL(a.ID, it.Position)+"#tools")
}
