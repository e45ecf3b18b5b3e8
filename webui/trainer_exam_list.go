package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// trainerExamListPage is the data of the trainer's exam list.
type trainerExamListPage struct {
	Exams []trainerExamRow
}

// trainerExamRow is a stored exam with how many scenarios it draws from.
type trainerExamRow struct {
	examRow
	Pool int
}

// trainerExamList shows every stored exam with links to edit it and to its
// report.
func (s *Server) trainerExamList(c echo.Context) error {
	ctx := c.Request().Context()
	rows, err := s.examRows(ctx)
	if err != nil {
		return err
	}
	env, err := s.newReportEnv(ctx, false)
	if err != nil {
		return err
	}
	page := trainerExamListPage{}
	for _, r := range rows {
		row := trainerExamRow{examRow: r}
		if re, ok := env.exams[r.Exam.ID]; ok {
			row.Pool = len(re.Items)
		}
		page.Exams = append(page.Exams, row)
	}
	return s.render(c, http.StatusOK, "trainer_exams", s.locale(c).T("examform.list_title"), page)
}
