package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// langSwitch remembers the chosen language and goes back to the page the
// link was on.
func (s *Server) langSwitch(c echo.Context) error {
	code := c.Param("code")
	if !s.catalog.supported(code) {
		return echo.ErrNotFound
	}
	s.setLangCookie(c, code)
	return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next"), "/"))
}
