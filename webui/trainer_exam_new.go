package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// trainerExamNew shows an empty exam form with sensible defaults.
func (s *Server) trainerExamNew(c echo.Context) error {
	ch, err := s.examChoices(c.Request().Context())
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("mode", string(store.ModeExam))
	f.Set("draw", "5")
	f.Set("time_limit", "30")
	f.Set("review", string(store.ReviewAfterSubmit))
	f.Set("pass_mark", "80")
	loc := s.locale(c)
	return s.render(c, http.StatusOK, "trainer_exam_form", loc.T("examform.new_title"), ch.page(loc, f, nil))
}
