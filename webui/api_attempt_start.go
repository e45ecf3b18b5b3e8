package webui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// apiAttemptStart starts a practice run ({"practice": "<library exam id>"})
// or an assigned exam ({"exam_id": 3}, which returns the running attempt if
// there is one).
func (s *Server) apiAttemptStart(c echo.Context) error {
	var in struct {
		Practice string `json:"practice"`
		ExamID   uint   `json:"exam_id"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	var a store.Attempt
	var err error
	switch {
	case in.Practice != "" && in.ExamID == 0:
		a, err = s.startPractice(ctx, currentUser(c), in.Practice)
	case in.ExamID != 0 && in.Practice == "":
		a, err = s.startExam(ctx, currentUser(c), in.ExamID)
	default:
		return fmt.Errorf("start attempt: give practice or exam_id: %w", store.ErrInvalid)
	}
	if err != nil {
		return err
	}
	ea, err := s.ownAttempt(ctx, currentUser(c), a.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, fmt.Sprintf("/api/v1/attempts/%d", a.ID))
	return c.JSON(http.StatusCreated, s.apiAttemptOf(ea))
}
