package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// trainerExamUpdate saves a trainer's changes to an exam, its assignees and
// its time extensions. Attempts already started keep what they drew.
func (s *Server) trainerExamUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := s.trainerExamParam(c)
	if err != nil {
		return err
	}
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
		return s.render(c, http.StatusUnprocessableEntity, "trainer_exam_form", loc.T("examform.edit_title", e.Title), ch.page(loc, f, &e))
	}
	in.Exam.ID, in.Exam.CreatedBy = e.ID, e.CreatedBy
	if _, err := s.store.UpdateExam(ctx, in.Exam, in.Assignees); err != nil {
		return err
	}
	if err := s.store.ReplaceExtraTimes(ctx, e.ID, in.Extensions); err != nil {
		return err
	}
	s.setFlash(c, "flash.exam_updated")
	return c.Redirect(http.StatusSeeOther, "/trainer/exams")
}
