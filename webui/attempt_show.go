package webui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// attemptShow sends the trainee where the attempt stands: the first item
// still open, or the result once it is finished.
func (s *Server) attemptShow(c echo.Context) error {
	a, err := s.attemptParam(c)
	if err != nil {
		return err
	}
	if it, ok := a.nextOpen(); ok && !a.Finished() {
		return c.Redirect(http.StatusSeeOther, itemURL(a.ID, it.Position))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d/result", a.ID))
}

// itemURL is the page of an attempt's item.
func itemURL(attemptID uint, pos int) string {
	return fmt.Sprintf("/attempts/%d/items/%d", attemptID, pos)
}
