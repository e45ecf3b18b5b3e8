package webui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
)

// teamReportPage is the data of a team's or cohort's report.
type teamReportPage struct {
	Team store.Team
	// ByMembers reports on the team's current members wherever they made
	// their attempts (a cohort); otherwise on the attempts made under the team.
	ByMembers   bool
	Base, CSV   string
	KPIs        kpiView
	Ready       int
	MemberCount int
	Charts      []lineChart
	Hist        histChart
	Dist        distView
	Classes     []classView
	Ranking     []memberView
}

// memberView is one ranked member.
type memberView struct {
	Rank   int
	UserID uint
	Name   string
	KPIs   kpiView
}

// teamReport builds the report of the team named by :id: by default from
// the results recorded under the team, with ?by=members from the results of
// its current members (grading's cohort report).
func (s *Server) teamReport(c echo.Context) (store.Team, *reportEnv, grading.GroupReport, error) {
	ctx := c.Request().Context()
	team, err := s.teamParam(c)
	if err != nil {
		return store.Team{}, nil, grading.GroupReport{}, err
	}
	env, err := s.newReportEnv(ctx, false)
	if err != nil {
		return team, nil, grading.GroupReport{}, err
	}
	var rep grading.GroupReport
	if byMembers(c) {
		members, err := s.store.TeamMembers(ctx, team.ID)
		if err != nil {
			return team, nil, grading.GroupReport{}, err
		}
		ids, gids := make([]uint, 0, len(members)), make([]string, 0, len(members))
		for _, u := range members {
			ids, gids = append(ids, u.ID), append(gids, store.GradingID(u.ID))
		}
		var results []grading.Result
		if len(ids) > 0 {
			if results, err = s.reportResults(ctx, store.ResultFilter{UserIDs: ids}); err != nil {
				return team, nil, grading.GroupReport{}, err
			}
		}
		rep, err = env.grader.CohortReport(results, team.Name, gids)
	} else {
		var results []grading.Result
		if results, err = s.reportResults(ctx, store.ResultFilter{TeamID: &team.ID}); err != nil {
			return team, nil, grading.GroupReport{}, err
		}
		rep, err = env.grader.TeamReport(results, team.Name)
	}
	if err != nil {
		return team, nil, grading.GroupReport{}, fmt.Errorf("team report %d: %w", team.ID, err)
	}
	return team, env, rep, nil
}

func byMembers(c echo.Context) bool { return c.QueryParam("by") == "members" }

// reportTeam shows a team's or cohort's figures, ranking and distribution.
func (s *Server) reportTeam(c echo.Context) error {
	team, env, rep, err := s.teamReport(c)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	page := teamReportPage{
		Team: team, ByMembers: byMembers(c),
		Base:        fmt.Sprintf("/reports/teams/%d", team.ID),
		KPIs:        newKPIView(rep.Summary, rep.Check, rep.Targets),
		Ready:       rep.Ready,
		MemberCount: len(rep.Members),
		Charts:      trendCharts(loc, rep.Trend, rep.Targets),
		Hist:        newHistChart(loc, "member-scores", loc.T("report.hist_members"), rep.Distribution, grading.Figure{}, ""),
		Dist:        newDistView(rep.Distribution),
		Classes:     newClassViews(loc, rep.Classes, rep.Targets),
	}
	page.CSV = page.Base + "/export.csv"
	if page.ByMembers {
		page.CSV += "?by=members"
	}
	for _, m := range rep.Members {
		page.Ranking = append(page.Ranking, memberView{Rank: m.Rank, UserID: env.userID(m.UserID),
			Name: env.userName(m.UserID), KPIs: newKPIView(m.KPIs, m.Check, rep.Targets)})
	}
	return s.render(c, http.StatusOK, "report_team", loc.T("report.team_title", team.Name), page)
}
