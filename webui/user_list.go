package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// userListPage is the data of the user list template.
type userListPage struct {
	Users []userRow
}

// userRow is a user with the name of their team.
type userRow struct {
	store.User
	Team string
}

// userList shows every account with its role, team and state.
func (s *Server) userList(c echo.Context) error {
	ctx := c.Request().Context()
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return err
	}
	names := make(map[uint]string, len(teams))
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		row := userRow{User: u}
		if u.TeamID != nil {
			row.Team = names[*u.TeamID]
		}
		rows = append(rows, row)
	}
	return s.render(c, http.StatusOK, "users", s.locale(c).T("users.title"), userListPage{Users: rows})
}
