package webui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// itemShow is the exam page of one item: the ticket, the timer, the live
// panel, the log, the remedies and the diagnosis form. Opening it starts
// the handle time and the item's call (resumed after a restart), which
// connects while the page loads.
func (s *Server) itemShow(c echo.Context) error {
	ctx := c.Request().Context()
	a, it, err := s.attemptItemParam(c)
	if err != nil {
		return err
	}
	switch {
	case a.Finished():
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d/result", a.ID))
	case it.SubmittedAt != nil:
		return c.Redirect(http.StatusSeeOther, itemURL(a.ID, it.Position)+"/review")
	}
	spec, err := s.callSpecOf(a, it)
	if err != nil {
		return err
	}
	if spec.item, err = s.openItem(ctx, a, it); err != nil {
		return err
	}
	s.live.prewarm(spec)
	loc := s.locale(c)
	page, err := s.itemPageOf(ctx, loc, a, spec.item, spec, nil)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "exam_item", itemTitle(loc, page), page)
}

// itemTitle is "Ticket 2 of 4: <the customer's situation>".
func itemTitle(loc *Locale, p itemPage) string {
	return loc.T("item.title", p.Number, p.Total, loc.Pick(p.Ticket.Title))
}
