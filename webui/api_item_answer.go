package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiItemAnswer saves a draft diagnosis; fields left out are saved empty.
func (s *Server) apiItemAnswer(c echo.Context) error {
	var in apiAnswer
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	_, it, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	f := newForm(answerValues(in))
	ans := readAnswer(f, s.locale(c), spec.catalog, false)
	if !f.OK() {
		return apiFormError(c, s.locale(c), f)
	}
	ans.AttemptItemID = it.ID
	saved, err := s.store.SaveAnswer(c.Request().Context(), ans)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiAnswerOf(saved, true))
}
