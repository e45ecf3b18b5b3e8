package webui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// maxImportBytes bounds an uploaded or pasted CSV file.
const maxImportBytes = 1 << 20

// userImport creates users from a CSV file, uploaded or pasted. Any problem
// on any line imports nothing: the page comes back with every problem by
// line number and the text in the box, ready to fix and resend.
func (s *Server) userImport(c echo.Context) error {
	ctx := c.Request().Context()
	loc := s.locale(c)
	text, err := importText(c)
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Set("csv", text)
	page := userImportPage{Form: f}
	title := loc.T("import.title")
	if len(text) > maxImportBytes {
		f.Fail("csv", loc.T("import.too_big", maxImportBytes>>10))
		return s.render(c, http.StatusUnprocessableEntity, "user_import", title, page)
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	teamIDs := make(map[string]uint, len(teams))
	for _, t := range teams {
		teamIDs[strings.ToLower(t.Name)] = t.ID
	}
	taken := make(map[string]bool, len(users))
	for _, u := range users {
		taken[strings.ToLower(u.Username)] = true
	}
	rows, problems := parseUserCSV(strings.NewReader(text), loc, teamIDs, taken)
	if len(problems) > 0 {
		f.Fail("csv", loc.N("import.has_problems", len(problems)))
		page.Problems = problems
		return s.render(c, http.StatusUnprocessableEntity, "user_import", title, page)
	}
	news := make([]store.NewUser, len(rows))
	oneTime := make([]string, len(rows))
	for i, r := range rows {
		news[i] = r.New
		if news[i].Password == "" {
			pw, err := newOneTimePassword(s.random)
			if err != nil {
				return err
			}
			oneTime[i], news[i].Password, news[i].MustChangePassword = pw, pw, true
		}
	}
	created, err := s.store.CreateUsers(ctx, news)
	if errors.Is(err, store.ErrConflict) {
		// Someone added one of these names since the check above.
		f.Fail("csv", loc.T("import.conflict"))
		return s.render(c, http.StatusConflict, "user_import", title, page)
	}
	if err != nil {
		return err
	}
	out := userCreatedPage{}
	for i, u := range created {
		out.Users = append(out.Users, createdUser{User: u, Password: oneTime[i]})
	}
	return s.render(c, http.StatusCreated, "users_created", loc.T("users.created_title"), out)
}

// importText returns the uploaded file if there is one, else the pasted
// text.
func importText(c echo.Context) (string, error) {
	fh, err := c.FormFile("file")
	if err == nil && fh.Size > 0 {
		file, err := fh.Open()
		if err != nil {
			return "", fmt.Errorf("open upload: %w", err)
		}
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, maxImportBytes+1))
		if err != nil {
			return "", fmt.Errorf("read upload: %w", err)
		}
		return string(data), nil
	}
	return c.FormValue("csv"), nil
}
