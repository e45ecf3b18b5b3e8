package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// resultPage is the data of an attempt's result page.
type resultPage struct {
	Attempt  examAttempt
	Score    *float64 // share of the maximum, once finished
	HasPass  bool
	Passed   bool
	Items    []itemReview
	Continue string
}

// attemptResult shows an attempt's score once it is finished, each item as
// far as the review policy allows, or the way back into a running attempt.
func (s *Server) attemptResult(c echo.Context) error {
	a, err := s.attemptParam(c)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	page := resultPage{Attempt: a}
	if a.Finished() {
		page.Score = a.Score
		if a.Score != nil && a.ExamID != nil && a.Exam.PassMark > 0 {
			page.HasPass, page.Passed = true, *a.Score >= a.Exam.PassMark
		}
	} else if it, ok := a.nextOpen(); ok {
		page.Continue = itemURL(a.ID, it.Position)
	}
	for _, it := range a.Items {
		r, err := s.reviewOf(c.Request().Context(), loc, a, it)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, r)
	}
	title := loc.T("result.title")
	if a.Mode == store.ModePractice {
		title = loc.T("result.practice_title")
	}
	return s.render(c, http.StatusOK, "attempt_result", title, page)
}
