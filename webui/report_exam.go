package webui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
)

// examReportPage is the data of an exam's report.
type examReportPage struct {
	Exam      store.Exam
	All       bool
	Base, CSV string
	// Graded is false when none of the exam's scenarios is in the library.
	Graded   bool
	Drawn    bool
	Pool     int
	Missing  []string
	PassMark string
	PassRate string
	Alpha    string
	Dist     distView
	Hist     histChart
	Items    []examItemView
	Sittings []sittingView
	Total    int
}

// examItemView is one item of the exam with its statistics.
type examItemView struct {
	ScenarioID, Title, Href string
	Stats                   itemView
}

// examReport builds the report of the stored exam named by :id; ok is
// false when the grader cannot score it (no scenario of it is in the
// library).
func (s *Server) examReport(c echo.Context) (*reportEnv, *reportExam, grading.ExamReport, bool, error) {
	ctx := c.Request().Context()
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return nil, nil, grading.ExamReport{}, false, echo.ErrNotFound
	}
	if _, err := s.store.Exam(ctx, uint(id)); err != nil {
		return nil, nil, grading.ExamReport{}, false, err
	}
	env, err := s.newReportEnv(ctx, allAttempts(c))
	if err != nil {
		return nil, nil, grading.ExamReport{}, false, err
	}
	re, ok := env.exams[uint(id)]
	if !ok {
		return nil, nil, grading.ExamReport{}, false, fmt.Errorf("exam %d: %w", id, store.ErrNotFound)
	}
	if !re.Graded {
		return env, re, grading.ExamReport{}, false, nil
	}
	results, err := s.reportResults(ctx, store.ResultFilter{ExamIDs: []uint{re.Exam.ID}, FirstAttempts: !allAttempts(c)})
	if err != nil {
		return nil, nil, grading.ExamReport{}, false, err
	}
	rep, err := env.grader.ExamReport(results, store.GradingID(re.Exam.ID))
	if err != nil {
		return nil, nil, grading.ExamReport{}, false, fmt.Errorf("exam report %d: %w", id, err)
	}
	return env, re, rep, true, nil
}

// reportExam shows an exam's score distribution, pass rate, Cronbach's
// alpha and per-item statistics, with the sittings behind them.
func (s *Server) reportExam(c echo.Context) error {
	env, re, rep, ok, err := s.examReport(c)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	page := examReportPage{Exam: re.Exam, All: allAttempts(c), Graded: ok, Drawn: re.Drawn, Pool: len(re.Items),
		Missing: re.Missing, Base: fmt.Sprintf("/reports/exams/%d", re.Exam.ID)}
	page.CSV = page.Base + "/export.csv"
	if page.All {
		page.CSV += "?attempts=all"
	}
	if ok {
		pass := grading.Known(passPercent(re.Exam))
		page.PassMark = fmtPercent(pass)
		page.PassRate, page.Alpha = fmtPercent(rep.PassRate), fmtRating(rep.Alpha)
		page.Dist = newDistView(rep.Scores)
		page.Hist = newHistChart(loc, "exam-scores", loc.T("report.hist_exam"), rep.Scores, pass, "report.pass_mark_at")
		for _, it := range rep.Items {
			page.Items = append(page.Items, examItemView{ScenarioID: it.ScenarioID, Title: env.scenarioTitle(loc, it.ScenarioID),
				Href: "/reports/scenarios/" + it.ScenarioID, Stats: env.itemView(loc, it.Stats)})
		}
		page.Sittings = env.sittingViews(loc, lastN(rep.Sittings, tableLimit))
		if !seesPeople(c) {
			for i := range page.Sittings {
				page.Sittings[i].UserID = 0
			}
		}
		page.Total = len(rep.Sittings)
	}
	return s.render(c, http.StatusOK, "report_exam", loc.T("report.exam_title", re.Exam.Title), page)
}
