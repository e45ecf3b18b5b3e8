package webui

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// dashboardPage is the data of the dashboard template; which parts are
// filled depends on the role.
type dashboardPage struct {
	Role     store.Role
	Practice []practiceRow
	Library  libraryCounts
	Assigned []examRow
	Results  []resultRow
	Exams    []examRow
	Teams    []teamRow
	Users    int
	ByRole   []roleCount
}

// practiceRow is a practice exam of the scenario library.
type practiceRow struct {
	ID, Title string
	Draw      int
	Minutes   int
}

// libraryCounts sums up the scenario library for a trainer.
type libraryCounts struct {
	Available         bool
	Scenarios, Broken int
}

// examRow is an exam as listed on a dashboard.
type examRow struct {
	Exam store.Exam
	Open bool
}

// resultRow is one finished or running attempt of the signed-in trainee.
type resultRow struct {
	Attempt store.Attempt
	Title   string
}

// teamRow is a team with its size.
type teamRow struct {
	Team    store.Team
	Members int
}

// roleCount is how many users hold a role.
type roleCount struct {
	Role store.Role
	N    int
}

// dashboard shows each role its starting point: a trainee's exams and
// results, a trainer's exams, a manager's teams, an admin's user counts.
func (s *Server) dashboard(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	page := dashboardPage{Role: u.Role}
	var err error
	switch u.Role {
	case store.RoleTrainee:
		page.Practice = s.practiceRows(s.locale(c))
		err = s.fillTrainee(ctx, u, &page)
	case store.RoleTrainer:
		page.Library = s.libraryCounts()
		page.Exams, err = s.examRows(ctx)
	case store.RoleManager:
		page.Teams, err = s.teamRows(ctx)
	case store.RoleAdmin:
		err = s.fillAdmin(ctx, &page)
	}
	if err != nil {
		return fmt.Errorf("dashboard for %s: %w", u.Role, err)
	}
	return s.render(c, http.StatusOK, "dashboard", s.locale(c).T("dashboard.title"), page)
}

// practiceRows lists the library's practice exams by title only: a
// trainee's page never carries scenario ids or tags, which name causes.
func (s *Server) practiceRows(loc *Locale) []practiceRow {
	lib, err := s.library.get()
	if err != nil {
		return nil
	}
	var rows []practiceRow
	for _, e := range lib.Exams() {
		if e.Mode == string(store.ModePractice) {
			rows = append(rows, practiceRow{ID: string(e.ID), Title: loc.Pick(e.Title), Draw: e.Draw,
				Minutes: int((time.Duration(e.TimeLimit) + time.Minute - 1) / time.Minute)})
		}
	}
	return rows
}

func (s *Server) libraryCounts() libraryCounts {
	lib, err := s.library.get()
	if err != nil {
		return libraryCounts{}
	}
	broken := map[string]bool{}
	for _, p := range lib.Problems() {
		broken[p.File] = true
	}
	return libraryCounts{Available: true, Scenarios: len(lib.Scenarios()), Broken: len(broken)}
}

func (s *Server) fillTrainee(ctx context.Context, u *store.User, page *dashboardPage) error {
	exams, err := s.store.AssignedExams(ctx, u.ID)
	if err != nil {
		return err
	}
	now := s.now()
	for _, e := range exams {
		page.Assigned = append(page.Assigned, examRow{Exam: e, Open: e.IsOpen(now)})
	}
	attempts, err := s.store.UserAttempts(ctx, u.ID)
	if err != nil {
		return err
	}
	titles := map[uint]string{}
	for _, a := range attempts {
		row := resultRow{Attempt: a}
		if a.ExamID != nil {
			if _, ok := titles[*a.ExamID]; !ok {
				e, err := s.store.Exam(ctx, *a.ExamID)
				if err != nil {
					return err
				}
				titles[e.ID] = e.Title
			}
			row.Title = titles[*a.ExamID]
		}
		page.Results = append(page.Results, row)
	}
	return nil
}

func (s *Server) examRows(ctx context.Context) ([]examRow, error) {
	exams, err := s.store.Exams(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rows := make([]examRow, 0, len(exams))
	for _, e := range exams {
		rows = append(rows, examRow{Exam: e, Open: e.IsOpen(now)})
	}
	return rows, nil
}

func (s *Server) teamRows(ctx context.Context) ([]teamRow, error) {
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	sizes, err := s.store.TeamSizes(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]teamRow, 0, len(teams))
	for _, t := range teams {
		rows = append(rows, teamRow{Team: t, Members: sizes[t.ID]})
	}
	return rows, nil
}

func (s *Server) fillAdmin(ctx context.Context, page *dashboardPage) error {
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	page.Users = len(users)
	counts := map[store.Role]int{}
	for _, u := range users {
		counts[u.Role]++
	}
	for _, r := range store.Roles() {
		page.ByRole = append(page.ByRole, roleCount{Role: r, N: counts[r]})
	}
	page.Teams, err = s.teamRows(ctx)
	return err
}
