package webui

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// itemRemedy applies a remedy to the item's live call. The page's script
// asks for JSON and shows the outcome in place; a plain form post comes
// back to the page, whose list of actions shows it.
func (s *Server) itemRemedy(c echo.Context) error {
	a, it, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	act, err := s.applyRemedy(c.Request().Context(), spec, c.FormValue("remedy"))
	if err != nil {
		return err
	}
	if wantsJSON(c) {
		return c.JSON(http.StatusOK, actionJSONOf(s.locale(c), spec, act))
	}
	return c.Redirect(http.StatusSeeOther, itemURL(a.ID, it.Position)+"#actions")
}

// applyRemedy runs a catalog remedy on the item's call, starting the call
// if it is not running.
func (s *Server) applyRemedy(ctx context.Context, spec callSpec, remedyID string) (store.Action, error) {
	if _, err := spec.catalog.Remedy(remedyID); err != nil {
		return store.Action{}, fmt.Errorf("remedy %q: %w", remedyID, store.ErrInvalid)
	}
	lc, err := s.live.acquire(ctx, spec)
	if err != nil {
		return store.Action{}, err
	}
	defer s.live.release(lc)
	return s.live.apply(ctx, lc, remedyID)
}

// actionJSON is a remedy action as the page's script and the API see it.
type actionJSON struct {
	Remedy  string  `json:"remedy"`
	Name    string  `json:"name"`
	At      float64 `json:"at_seconds"`
	Clock   string  `json:"at"`
	Outcome string  `json:"outcome"`
	Error   string  `json:"error,omitempty"`
}

func actionJSONOf(loc *Locale, spec callSpec, a store.Action) actionJSON {
	v := actionViews(loc, spec.catalog, []store.Action{a})[0]
	return actionJSON{Remedy: a.Name, Name: v.Name, At: a.Offset().Seconds(), Clock: v.At, Outcome: v.Outcome, Error: v.Error}
}
