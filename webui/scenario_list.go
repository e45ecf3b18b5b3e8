package webui

import (
	"net/http"
	"path/filepath"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// scenarioListPage is the data of the trainer's scenario list.
type scenarioListPage struct {
	Dir       string
	LoadError bool
	Files     []fileRow
	// Other are problems of the directory itself, not of a listed file.
	Other scenarios.Problems
}

// fileRow is one file of the library with its validation status.
type fileRow struct {
	File     libraryFile
	ID       string
	Title    string
	Problems scenarios.Problems
}

// scenarioList shows every file of the scenario directory, valid or not,
// with the problems of the broken ones.
func (s *Server) scenarioList(c echo.Context) error {
	loc := s.locale(c)
	page := scenarioListPage{Dir: s.library.dir}
	lib, err := s.library.get()
	if err != nil {
		s.log.Warn("scenario library unavailable", "dir", s.library.dir, "error", err)
		page.LoadError = true
		return s.render(c, http.StatusOK, "scenarios", loc.T("scenarios.title"), page)
	}
	files, err := s.library.files()
	if err != nil {
		return err
	}
	titles := map[string][2]string{}
	for _, sc := range lib.Scenarios() {
		titles[filepath.Clean(sc.File())] = [2]string{string(sc.ID), loc.Pick(sc.Title)}
	}
	for _, e := range lib.Exams() {
		titles[filepath.Clean(e.File())] = [2]string{string(e.ID), loc.Pick(e.Title)}
	}
	listed := map[string]bool{}
	for _, f := range files {
		row := fileRow{File: f, Problems: problemsOf(lib, f.Path)}
		if t, ok := titles[filepath.Clean(f.Path)]; ok {
			row.ID, row.Title = t[0], t[1]
		}
		listed[filepath.Clean(f.Path)] = true
		page.Files = append(page.Files, row)
	}
	for _, p := range lib.Problems() {
		if !listed[filepath.Clean(p.File)] {
			page.Other = append(page.Other, p)
		}
	}
	return s.render(c, http.StatusOK, "scenarios", loc.T("scenarios.title"), page)
}
