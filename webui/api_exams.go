package webui

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// apiPracticeExam is a practice exam of the library.
type apiPracticeExam struct {
	ID               string         `json:"id"`
	Title            scenarios.Text `json:"title"`
	Draw             int            `json:"draw"`
	TimeLimitSeconds int            `json:"time_limit_seconds"`
}

// apiAssignedExam is an exam assigned to the trainee.
type apiAssignedExam struct {
	ID               uint       `json:"id"`
	Title            string     `json:"title"`
	Mode             string     `json:"mode"`
	OpensAt          *time.Time `json:"opens_at"`
	ClosesAt         *time.Time `json:"closes_at"`
	TimeLimitSeconds int        `json:"time_limit_seconds"`
	Open             bool       `json:"open"`
}

// apiExams lists what the trainee can start: the library's practice exams
// and the exams assigned to them.
func (s *Server) apiExams(c echo.Context) error {
	out := struct {
		Practice []apiPracticeExam `json:"practice"`
		Assigned []apiAssignedExam `json:"assigned"`
	}{Practice: []apiPracticeExam{}, Assigned: []apiAssignedExam{}}
	if lib, err := s.library.get(); err == nil {
		for _, e := range lib.Exams() {
			if e.Mode == "practice" {
				out.Practice = append(out.Practice, apiPracticeExam{ID: string(e.ID), Title: e.Title, Draw: e.Draw,
					TimeLimitSeconds: int(e.TimeLimit.Std() / time.Second)})
			}
		}
	}
	assigned, err := s.store.AssignedExams(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	for _, e := range assigned {
		out.Assigned = append(out.Assigned, apiAssignedExam{ID: e.ID, Title: e.Title, Mode: string(e.Mode),
			OpensAt: e.OpensAt, ClosesAt: e.ClosesAt, TimeLimitSeconds: e.TimeLimitSeconds, Open: e.IsOpen(s.now())})
	}
	return c.JSON(http.StatusOK, out)
}
