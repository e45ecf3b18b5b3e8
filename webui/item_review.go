package webui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// reviewPage is the data of a submitted item's review page.
type reviewPage struct {
	AttemptID uint
	Review    itemReview
	Next      string // the next open item, or "" when none is left
	Result    string
}

// itemReview shows a submitted item: its score, the breakdown and the key
// (explanation and knowledge-base article) when the rules allow it now,
// else that it was submitted; and the way on.
func (s *Server) itemReview(c echo.Context) error {
	a, it, err := s.attemptItemParam(c)
	if err != nil {
		return err
	}
	if it.SubmittedAt == nil {
		if a.Finished() {
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d/result", a.ID))
		}
		return c.Redirect(http.StatusSeeOther, itemURL(a.ID, it.Position))
	}
	loc := s.locale(c)
	r, err := s.reviewOf(c.Request().Context(), loc, a, it)
	if err != nil {
		return err
	}
	page := reviewPage{AttemptID: a.ID, Review: r, Result: fmt.Sprintf("/attempts/%d/result", a.ID)}
	if next, ok := a.nextOpen(); ok && !a.Finished() {
		page.Next = itemURL(a.ID, next.Position)
	}
	return s.render(c, http.StatusOK, "item_review", loc.T("review.title", r.Number), page)
}
