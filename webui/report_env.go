package webui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// reportEnv is what every report page needs: a grader configured from the
// scenario library and the stored exams, and the names behind the ids. It is
// built per request: a Grader is configuration only and costs microseconds,
// so there is no cache to go stale when a trainer edits an exam.
type reportEnv struct {
	grader *grading.Grader
	// lib is nil when the scenario library could not be loaded.
	lib   *scenarios.Library
	exams map[uint]*reportExam
	// examList is newest first.
	examList []*reportExam
	// users is keyed by grading id (store.GradingID).
	users map[string]store.User
}

// reportExam is a stored exam as the reports see it.
type reportExam struct {
	Exam store.Exam
	// Items are the scenario ids the grader scores the exam on: its pool in
	// the library, sorted by id.
	Items []string
	// Missing lists scenarios the exam names that the library lacks.
	Missing []string
	// Drawn is set when a sitting draws fewer scenarios than the pool holds.
	Drawn bool
	// Graded tells whether the grader knows the exam (its pool is not empty).
	Graded bool
}

// newReportEnv loads the stored exams and users; all switches item
// statistics from first attempts to all attempts.
func (s *Server) newReportEnv(ctx context.Context, all bool) (*reportEnv, error) {
	env := &reportEnv{exams: map[uint]*reportExam{}, users: map[string]store.User{}}
	env.lib, _ = s.library.get()
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	for _, u := range users {
		env.users[store.GradingID(u.ID)] = u
	}
	exams, err := s.store.Exams(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	opts := []grading.Option{grading.WithLocation(time.Local)}
	if all {
		opts = append(opts, grading.WithAllAttempts())
	}
	if env.lib != nil {
		for _, sc := range env.lib.Scenarios() {
			opts = append(opts, grading.WithScenarios(reportAnswerKey(env.lib, sc)))
		}
	}
	for _, e := range exams {
		re := env.mapExam(e)
		env.exams[e.ID] = re
		env.examList = append(env.examList, re)
		if re.Graded {
			opts = append(opts, grading.WithExams(gradingExam(re)))
		}
	}
	if env.grader, err = grading.NewGrader(opts...); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return env, nil
}

// reportAnswerKey maps a scenario to what the reports read of its key: the
// root cause (for wrong diagnoses) and the fault class, which is the layer
// of the root cause in the catalog.
func reportAnswerKey(lib *scenarios.Library, sc *scenarios.Scenario) grading.AnswerKey {
	k := grading.AnswerKey{
		ScenarioID:         string(sc.ID),
		RootCause:          string(sc.Answer.RootCause),
		EscalationExpected: sc.Answer.Escalate,
		ExpectedHandleTime: sc.HandlingTime.Std(),
	}
	for _, id := range sc.Answer.Resolves {
		k.ResolvingRemedies = append(k.ResolvingRemedies, string(id))
	}
	if cat := lib.Catalog(); cat != nil {
		if c, err := cat.Cause(k.RootCause); err == nil {
			k.FaultClass = c.Layer
		}
	}
	return k
}

func (env *reportEnv) mapExam(e store.Exam) *reportExam {
	re := &reportExam{Exam: e}
	if env.lib == nil {
		re.Missing = slices.Clone(e.ScenarioIDs)
		return re
	}
	def := &scenarios.Exam{}
	for _, id := range e.ScenarioIDs {
		def.Scenarios = append(def.Scenarios, scenarios.Slug(id))
		if _, err := env.lib.Scenario(id); err != nil {
			re.Missing = append(re.Missing, id)
		}
	}
	for _, t := range e.Tags {
		def.Tags = append(def.Tags, scenarios.Slug(t))
	}
	for _, sc := range env.lib.Pool(def) {
		re.Items = append(re.Items, string(sc.ID))
	}
	re.Graded = len(re.Items) > 0
	re.Drawn = e.DrawCount > 0 && e.DrawCount < len(re.Items)
	return re
}

// gradingExam is a stored exam as grading scores it: every scenario of the
// pool an equal item. The stored pass mark is a share; rounding its percent
// undoes float noise (0.7 × 100 is 70.00000000000001, which a score of
// exactly 70 would miss). Grading's pass mark must be in (0, 100]; a stored
// 0 becomes the smallest positive mark, under which any sitting with a
// point passes.
func gradingExam(re *reportExam) grading.Exam {
	e := grading.Exam{ID: store.GradingID(re.Exam.ID), PassMark: max(passPercent(re.Exam), math.SmallestNonzeroFloat64),
		Draw: re.Exam.DrawCount}
	for _, id := range re.Items {
		e.Items = append(e.Items, grading.ExamItem{ScenarioID: id})
	}
	return e
}

// passPercent is an exam's pass mark in percent, rounded to 1e-9.
func passPercent(e store.Exam) float64 { return math.Round(e.PassMark*100*1e9) / 1e9 }

// examsWith lists the graded exams whose items include the scenario.
func (env *reportEnv) examsWith(scenarioID string) []uint {
	var ids []uint
	for _, re := range env.examList {
		if slices.Contains(re.Items, scenarioID) {
			ids = append(ids, re.Exam.ID)
		}
	}
	return ids
}

// userName is the display name behind a grading user id.
func (env *reportEnv) userName(id string) string {
	if u, ok := env.users[id]; ok {
		return u.Name()
	}
	return id
}

// userID is the store id behind a grading user id, 0 when unknown.
func (env *reportEnv) userID(id string) uint {
	if u, ok := env.users[id]; ok {
		return u.ID
	}
	return 0
}

// scenarioTitle is a scenario's title in the reader's language, or its id
// when the library does not have it.
func (env *reportEnv) scenarioTitle(loc *Locale, id string) string {
	if env.lib != nil {
		if sc, err := env.lib.Scenario(id); err == nil {
			return loc.Pick(sc.Title)
		}
	}
	return id
}

// causeName is a root cause's name from the catalog; an empty id means the
// trainee gave none.
func (env *reportEnv) causeName(loc *Locale, id string) string {
	if id == "" {
		return loc.T("report.no_diagnosis")
	}
	if env.lib != nil && env.lib.Catalog() != nil {
		if c, err := env.lib.Catalog().Cause(id); err == nil {
			return loc.Pick(c.Name)
		}
	}
	return id
}

// examTitle is the title of the exam behind a grading exam id; practice
// (an empty id) has its own label.
func (env *reportEnv) examTitle(loc *Locale, id string) string {
	if id == "" {
		return loc.T("mode.practice")
	}
	for _, re := range env.examList {
		if store.GradingID(re.Exam.ID) == id {
			return re.Exam.Title
		}
	}
	return id
}

// reportResults loads the stored results f selects, as grading reads them.
func (s *Server) reportResults(ctx context.Context, f store.ResultFilter) ([]grading.Result, error) {
	rs, err := s.store.ResultsForGrading(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return rs, nil
}

// notFoundIfUnknown turns grading's unknown-id error into a 404.
func notFoundIfUnknown(err error) error {
	if errors.Is(err, grading.ErrNotFound) {
		return fmt.Errorf("%w: %w", echo.ErrNotFound, err)
	}
	return err
}

// seesPeople tells whether the signed-in user may open trainee and team
// reports; item-statistics pages link names only for those who may.
func seesPeople(c echo.Context) bool {
	u := currentUser(c)
	return u != nil && (u.Role == store.RoleManager || u.Role == store.RoleAdmin)
}

// allAttempts reads the item statistics' selection from the query.
func allAttempts(c echo.Context) bool { return c.QueryParam("attempts") == "all" }
