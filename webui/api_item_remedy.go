package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiItemRemedy applies a remedy ({"remedy": "<catalog id>"}) to the live
// call and returns what it did; a remedy the engine cannot carry out comes
// back with its error as the outcome.
func (s *Server) apiItemRemedy(c echo.Context) error {
	var in struct {
		Remedy string `json:"remedy"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	_, _, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	act, err := s.applyRemedy(c.Request().Context(), spec, in.Remedy)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, actionJSONOf(s.locale(c), spec, act))
}
