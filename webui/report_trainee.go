package webui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
)

// traineeReportPage is the data of a trainee's report.
type traineeReportPage struct {
	User     store.User
	Team     string
	KPIs     kpiView
	Charts   []lineChart
	Classes  []classView
	Sittings []sittingView
	Attempts []attemptView
	Total    int
	CSV      string
}

// traineeReport builds the report of the user named by :id from every
// stored result of theirs, practice and exam.
func (s *Server) traineeReport(c echo.Context) (store.User, *reportEnv, grading.TraineeReport, error) {
	ctx := c.Request().Context()
	u, err := s.userParam(c)
	if err != nil {
		return store.User{}, nil, grading.TraineeReport{}, err
	}
	env, err := s.newReportEnv(ctx, false)
	if err != nil {
		return u, nil, grading.TraineeReport{}, err
	}
	results, err := s.reportResults(ctx, store.ResultFilter{UserIDs: []uint{u.ID}})
	if err != nil {
		return u, nil, grading.TraineeReport{}, err
	}
	rep, err := env.grader.TraineeReport(results, store.GradingID(u.ID))
	if err != nil {
		return u, nil, grading.TraineeReport{}, fmt.Errorf("trainee report %d: %w", u.ID, err)
	}
	return u, env, rep, nil
}

// reportTrainee shows one trainee's progress against the desk's targets.
func (s *Server) reportTrainee(c echo.Context) error {
	u, env, rep, err := s.traineeReport(c)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	page := traineeReportPage{
		User: u, Team: rep.Team,
		KPIs:     newKPIView(rep.Summary, rep.Check, rep.Targets),
		Charts:   trendCharts(loc, rep.Trend, rep.Targets),
		Classes:  newClassViews(loc, rep.Classes, rep.Targets),
		Sittings: env.sittingViews(loc, lastN(rep.Sittings, tableLimit)),
		Attempts: env.attemptViews(loc, lastN(rep.Attempts, tableLimit)),
		Total:    len(rep.Attempts),
		CSV:      fmt.Sprintf("/reports/trainees/%d/export.csv", u.ID),
	}
	return s.render(c, http.StatusOK, "report_trainee", loc.T("report.trainee_title", u.Name()), page)
}
