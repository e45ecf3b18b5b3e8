package webui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// examStart starts the trainee's attempt at an assigned exam (or goes back
// to the one running) and opens it.
func (s *Server) examStart(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("exam %q: %w", c.Param("id"), store.ErrNotFound)
	}
	a, err := s.startExam(c.Request().Context(), currentUser(c), uint(id))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d", a.ID))
}
