package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// signout ends the session in the database, not only in the browser.
func (s *Server) signout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.store.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	s.setFlash(c, "flash.signed_out")
	return c.Redirect(http.StatusSeeOther, "/signin")
}
