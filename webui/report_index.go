package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// reportIndexPage lists what can be reported on. People (trainees, teams)
// are for managers and admins; scenarios and exams for trainers too.
type reportIndexPage struct {
	People    bool
	Trainees  []indexTrainee
	Teams     []teamRow
	Scenarios []indexScenario
	Exams     []*reportExam
	// NoLibrary is set when the scenario library could not be loaded.
	NoLibrary bool
}

// indexTrainee is a trainee with the name of their team.
type indexTrainee struct {
	User store.User
	Team string
}

// indexScenario is a library scenario with its fault class.
type indexScenario struct {
	ID, Title, Class string
}

// reportIndex is the reports' starting page.
func (s *Server) reportIndex(c echo.Context) error {
	ctx := c.Request().Context()
	loc := s.locale(c)
	env, err := s.newReportEnv(ctx, false)
	if err != nil {
		return err
	}
	page := reportIndexPage{People: seesPeople(c), Exams: env.examList, NoLibrary: env.lib == nil}
	if env.lib != nil {
		for _, sc := range env.lib.Scenarios() {
			k, err := env.grader.Key(string(sc.ID))
			if err != nil {
				return err
			}
			page.Scenarios = append(page.Scenarios, indexScenario{ID: string(sc.ID), Title: loc.Pick(sc.Title), Class: classLabel(loc, k.FaultClass)})
		}
	}
	if page.People {
		if page.Teams, err = s.teamRows(ctx); err != nil {
			return err
		}
		names := map[uint]string{}
		for _, t := range page.Teams {
			names[t.Team.ID] = t.Team.Name
		}
		for _, user := range env.users {
			if user.Role != store.RoleTrainee {
				continue
			}
			row := indexTrainee{User: user}
			if user.TeamID != nil {
				row.Team = names[*user.TeamID]
			}
			page.Trainees = append(page.Trainees, row)
		}
		sortTrainees(page.Trainees)
	}
	return s.render(c, http.StatusOK, "report_index", loc.T("report.index_title"), page)
}
