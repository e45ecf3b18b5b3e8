package webui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// itemAnswer saves the diagnosis as a draft, as the page's script does
// while the trainee types; without the script it is the form's save
// button, and problems re-render the page with everything typed.
func (s *Server) itemAnswer(c echo.Context) error {
	ctx := c.Request().Context()
	a, it, err := s.openItemParam(c)
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
	loc := s.locale(c)
	ans := readAnswer(f, loc, spec.catalog, false)
	if !f.OK() {
		if wantsJSON(c) {
			return c.JSON(http.StatusUnprocessableEntity, map[string]any{"saved": false, "errors": f.errors})
		}
		return s.renderItemForm(c, a, it, spec, f)
	}
	ans.AttemptItemID = it.ID
	if _, err := s.store.SaveAnswer(ctx, ans); err != nil {
		return err
	}
	if wantsJSON(c) {
		return c.JSON(http.StatusOK, map[string]any{"saved": true})
	}
	s.setFlash(c, "flash.draft_saved")
	return c.Redirect(http.StatusSeeOther, itemURL(a.ID, it.Position))
}

// openItemParam loads an item that still takes answers: its attempt in
// progress (and in time) and the item not yet submitted.
func (s *Server) openItemParam(c echo.Context) (examAttempt, store.AttemptItem, error) {
	a, it, err := s.attemptItemParam(c)
	switch {
	case err != nil:
		return a, it, err
	case a.Status == store.StatusExpired:
		return a, it, fmt.Errorf("attempt %d: %w", a.ID, errTimeUp)
	case a.Finished() || it.SubmittedAt != nil:
		return a, it, fmt.Errorf("item %d of attempt %d: closed: %w", it.Position, a.ID, store.ErrConflict)
	}
	return a, it, nil
}

// renderItemForm shows the item page again with a form's problems.
func (s *Server) renderItemForm(c echo.Context, a examAttempt, it store.AttemptItem, spec callSpec, f *form) error {
	loc := s.locale(c)
	page, err := s.itemPageOf(c.Request().Context(), loc, a, it, spec, f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusUnprocessableEntity, "exam_item", itemTitle(loc, page), page)
}

// wantsJSON tells a page's script (which asks for JSON) from a plain form
// post, so one route serves both.
func wantsJSON(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON)
}

// openItemCall is openItemParam plus the item's call spec: the prologue of
// every handler that acts on an item's live call.
func (s *Server) openItemCall(c echo.Context) (examAttempt, store.AttemptItem, callSpec, error) {
	a, it, err := s.openItemParam(c)
	if err != nil {
		return a, it, callSpec{}, err
	}
	spec, err := s.callSpecOf(a, it)
	return a, it, spec, err
}
