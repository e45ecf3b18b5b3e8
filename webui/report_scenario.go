package webui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
)

// scenarioReportPage is the data of a scenario's item statistics.
type scenarioReportPage struct {
	ID, Title, FaultClass, RootCause string
	All                              bool
	Base, CSV                        string
	Exams                            []string
	Overall                          itemView
	Variants                         []variantView
	// Variant is the drilled-down variant's seed when HasVariant.
	Variant     int64
	HasVariant  bool
	Submissions []attemptView
	Total       int
	Page, Pages int
	Prev, Next  string
}

// variantView is one variant's row, linking to its submissions.
type variantView struct {
	Seed    int64
	Stats   itemView
	Href    string
	Current bool
}

// submissionsPerPage is the drill-down's page size.
const submissionsPerPage = 100

// scenarioReport builds the item statistics of the scenario named by :id.
// It reads the scenario's results and the whole sittings of the exams that
// contain it, which the discrimination index correlates with.
func (s *Server) scenarioReport(c echo.Context) (*reportEnv, grading.ScenarioReport, error) {
	ctx := c.Request().Context()
	env, err := s.newReportEnv(ctx, allAttempts(c))
	if err != nil {
		return nil, grading.ScenarioReport{}, err
	}
	id := c.Param("id")
	if _, err := env.grader.Key(id); err != nil {
		return nil, grading.ScenarioReport{}, notFoundIfUnknown(err)
	}
	results, err := s.reportResults(ctx, store.ResultFilter{ScenarioID: id, ExamIDs: env.examsWith(id), FirstAttempts: !allAttempts(c)})
	if err != nil {
		return nil, grading.ScenarioReport{}, err
	}
	rep, err := env.grader.ScenarioReport(results, id)
	if err != nil {
		return nil, grading.ScenarioReport{}, fmt.Errorf("scenario report %q: %w", id, notFoundIfUnknown(err))
	}
	return env, rep, nil
}

// reportScenario shows a scenario's facility, discrimination, times and
// wrong diagnoses, overall and per variant, and drills down to the
// submissions (?variant=seed, ?page=n).
func (s *Server) reportScenario(c echo.Context) error {
	env, rep, err := s.scenarioReport(c)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	page := scenarioReportPage{
		ID: rep.ScenarioID, Title: env.scenarioTitle(loc, rep.ScenarioID), FaultClass: classLabel(loc, rep.FaultClass),
		RootCause: env.causeName(loc, rep.RootCause), All: allAttempts(c),
		Base: "/reports/scenarios/" + url.PathEscape(rep.ScenarioID), Overall: env.itemView(loc, rep.Overall),
	}
	query := url.Values{}
	if page.All {
		query.Set("attempts", "all")
	}
	page.CSV = withQuery(page.Base+"/export.csv", query)
	for _, id := range env.examsWith(rep.ScenarioID) {
		page.Exams = append(page.Exams, env.exams[id].Exam.Title)
	}
	if v, err := strconv.ParseInt(c.QueryParam("variant"), 10, 64); err == nil {
		page.Variant, page.HasVariant = v, true
	}
	for _, v := range rep.Variants {
		q := url.Values{}
		for k, vs := range query {
			q[k] = vs
		}
		q.Set("variant", strconv.FormatInt(v.Seed, 10))
		page.Variants = append(page.Variants, variantView{Seed: v.Seed, Stats: env.itemView(loc, v.Stats),
			Href: withQuery(page.Base, q) + "#submissions", Current: page.HasVariant && v.Seed == page.Variant})
	}
	subs := rep.Submissions
	if page.HasVariant {
		subs = make([]grading.AttemptRow, 0, len(rep.Submissions))
		for _, r := range rep.Submissions {
			if r.VariantSeed == page.Variant {
				subs = append(subs, r)
			}
		}
		query.Set("variant", strconv.FormatInt(page.Variant, 10))
	}
	page.Total = len(subs)
	page.Pages = max(1, (len(subs)+submissionsPerPage-1)/submissionsPerPage)
	page.Page = min(max(1, atoiOr(c.QueryParam("page"), 1)), page.Pages)
	newest := lastN(subs, len(subs))
	lo := (page.Page - 1) * submissionsPerPage
	page.Submissions = env.attemptViews(loc, newest[lo:min(lo+submissionsPerPage, len(newest))])
	if !seesPeople(c) {
		for i := range page.Submissions {
			page.Submissions[i].UserID = 0
		}
	}
	if page.Page > 1 {
		query.Set("page", strconv.Itoa(page.Page-1))
		page.Prev = withQuery(page.Base, query) + "#submissions"
	}
	if page.Page < page.Pages {
		query.Set("page", strconv.Itoa(page.Page+1))
		page.Next = withQuery(page.Base, query) + "#submissions"
	}
	return s.render(c, http.StatusOK, "report_scenario", loc.T("report.scenario_title", page.Title), page)
}

// withQuery appends a query string when there is one.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// atoiOr parses a decimal integer, or returns def.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
