package webui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// tokenDelete revokes one of the user's API tokens.
func (s *Server) tokenDelete(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("api token %q: %w", c.Param("id"), store.ErrNotFound)
	}
	if err := s.store.DeleteAPIToken(c.Request().Context(), currentUser(c).ID, uint(id)); err != nil {
		return err
	}
	s.setFlash(c, "flash.token_deleted")
	return c.Redirect(http.StatusSeeOther, "/account")
}
