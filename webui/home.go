package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// home sends a signed-in user to the dashboard.
func (s *Server) home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/dashboard")
}
