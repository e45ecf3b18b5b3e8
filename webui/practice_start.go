package webui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// practiceStart starts a practice run of a library exam and opens it.
func (s *Server) practiceStart(c echo.Context) error {
	a, err := s.startPractice(c.Request().Context(), currentUser(c), c.Param("exam"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d", a.ID))
}
