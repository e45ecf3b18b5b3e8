package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiItemSubmit grades the diagnosis in the body and closes the item. The
// answer includes the item's review when the rules show it now.
func (s *Server) apiItemSubmit(c echo.Context) error {
	var in apiAnswer
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	a, it, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	f := newForm(answerValues(in))
	loc := s.locale(c)
	ans := readAnswer(f, loc, spec.catalog, true)
	if !f.OK() {
		return apiFormError(c, s.locale(c), f)
	}
	ctx := c.Request().Context()
	if _, err := s.submitItem(ctx, a.ID, it.Position, ans); err != nil {
		return err
	}
	if a, err = s.ownAttempt(ctx, currentUser(c), a.ID); err != nil {
		return err
	}
	if it, err = a.item(c.Param("pos")); err != nil {
		return err
	}
	r, err := s.apiReviewOf(a, it)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"attempt": s.apiAttemptOf(a), "review": r})
}
