package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// trainerExamCreate stores a new exam with its assignees and time
// extensions; a form with problems comes back with every value kept.
func (s *Server) trainerExamCreate(c echo.Context) error {
	ctx := c.Request().Context()
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	ch, err := s.examChoices(ctx)
	if err != nil {
		return err
	}
	f := newForm(params)
	loc := s.locale(c)
	in := ch.read(f, loc)
	if !f.OK() {
		return s.render(c, http.StatusUnprocessableEntity, "trainer_exam_form", loc.T("examform.new_title"), ch.page(loc, f, nil))
	}
	me := currentUser(c)
	in.Exam.CreatedBy = &me.ID
	e, err := s.store.CreateExam(ctx, in.Exam, in.Assignees)
	if err != nil {
		return err
	}
	if err := s.store.ReplaceExtraTimes(ctx, e.ID, in.Extensions); err != nil {
		return err
	}
	s.setFlash(c, "flash.exam_created")
	return c.Redirect(http.StatusSeeOther, "/trainer/exams")
}
