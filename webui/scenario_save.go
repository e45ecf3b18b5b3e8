package webui

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// scenarioSave validates the YAML sent from the editor and, unless the
// trainer only asked to check it, writes it and reloads the library. A file
// with problems is never written: the editor comes back with the text as
// sent and each problem's line:column beside it.
func (s *Server) scenarioSave(c echo.Context) error {
	f, err := s.library.resolve(editorFileName(c))
	if err != nil {
		return err
	}
	loc := s.locale(c)
	title := loc.T("editor.title", f.Name)
	// Browsers send textarea lines with CRLF; files keep the LF they had.
	text := strings.ReplaceAll(c.FormValue("yaml"), "\r\n", "\n")
	page := scenarioEditPage{File: f, Text: text, Base: c.FormValue("base")}
	if len(text) > scenarios.MaxFileSize {
		page.Problems = scenarios.Problems{{File: f.Path, Line: 1, Column: 1, Message: loc.T("editor.too_big", scenarios.MaxFileSize>>10)}}
		return s.render(c, http.StatusUnprocessableEntity, "scenario_edit", title, page)
	}
	lib, _ := s.library.get()
	if page.Problems = validateLibraryFile(f, []byte(text), lib); len(page.Problems) > 0 {
		return s.render(c, http.StatusUnprocessableEntity, "scenario_edit", title, page)
	}
	if c.FormValue("action") != "save" {
		page.Checked = true
		return s.render(c, http.StatusOK, "scenario_edit", title, page)
	}
	current, err := os.ReadFile(f.Path)
	if err != nil {
		return fmt.Errorf("save %s: %w", f.Name, err)
	}
	if contentHash(current) != page.Base {
		page.Conflict = true
		return s.render(c, http.StatusConflict, "scenario_edit", title, page)
	}
	if err := writeFileAtomic(f.Path, []byte(text)); err != nil {
		return fmt.Errorf("save %s: %w", f.Name, err)
	}
	s.library.reload()
	s.log.Info("library file saved", "file", f.Name, "by", currentUser(c).Username)
	s.setFlash(c, "flash.file_saved")
	return c.Redirect(http.StatusSeeOther, "/trainer/scenarios/"+f.Name)
}

// writeFileAtomic replaces path with data so that a reader (or a crash)
// sees the old file or the new one, never half of one.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".edit-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
