package webui

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// trainerExamEdit shows a stored exam's form filled from the record.
func (s *Server) trainerExamEdit(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := s.trainerExamParam(c)
	if err != nil {
		return err
	}
	who, err := s.store.ExamAssignees(ctx, e.ID)
	if err != nil {
		return err
	}
	ext, err := s.store.ExamExtensions(ctx, e.ID)
	if err != nil {
		return err
	}
	ch, err := s.examChoices(ctx)
	if err != nil {
		return err
	}
	users := map[uint]store.User{}
	for _, u := range ch.users {
		users[u.ID] = u
	}
	f := newForm(nil)
	fillExamForm(f, e, who, ext, users)
	loc := s.locale(c)
	return s.render(c, http.StatusOK, "trainer_exam_form", loc.T("examform.edit_title", e.Title), ch.page(loc, f, &e))
}

// trainerExamParam loads the stored exam named by the :id path parameter.
func (s *Server) trainerExamParam(c echo.Context) (store.Exam, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return store.Exam{}, echo.ErrNotFound
	}
	return s.store.Exam(c.Request().Context(), uint(id))
}
