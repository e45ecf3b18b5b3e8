package webui

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// itemSubmit grades the diagnosis and closes the item. A diagnosis missing
// its root cause or escalation decision re-renders the page with the
// message beside the field. Afterwards the trainee sees the item's review
// when the rules allow it, else the next item or the result.
func (s *Server) itemSubmit(c echo.Context) error {
	a, it, err := s.openItemParam(c)
	if errors.Is(err, errTimeUp) {
		s.setFlash(c, "flash.time_up")
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d/result", a.ID))
	}
	if err != nil {
		return err
	}
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	spec, err := s.callSpecOf(a, it)
	if err != nil {
		return err
	}
	f := newForm(params)
	ans := readAnswer(f, s.locale(c), spec.catalog, true)
	if !f.OK() {
		return s.renderItemForm(c, a, it, spec, f)
	}
	_, err = s.submitItem(c.Request().Context(), a.ID, it.Position, ans)
	if errors.Is(err, errTimeUp) {
		s.setFlash(c, "flash.time_up")
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d/result", a.ID))
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "flash.item_submitted")
	return c.Redirect(http.StatusSeeOther, itemURL(a.ID, it.Position)+"/review")
}
