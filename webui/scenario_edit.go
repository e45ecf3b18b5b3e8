package webui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// scenarioEditPage is the data of the YAML editor.
type scenarioEditPage struct {
	File libraryFile
	// Text is the YAML in the box: the file, or what the trainer sent.
	Text string
	// Base is the hash of the file as it was when the editor opened, so a
	// save can tell whether someone else changed it meanwhile.
	Base     string
	Problems scenarios.Problems
	// Checked is set after a validation that found nothing wrong.
	Checked bool
	// Conflict is set when the file changed on disk since the editor opened.
	Conflict bool
}

// scenarioEdit opens a library file in the editor, with the problems the
// library found in it.
func (s *Server) scenarioEdit(c echo.Context) error {
	f, err := s.library.resolve(editorFileName(c))
	if err != nil {
		return err
	}
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return fmt.Errorf("open %s: %w", f.Name, err)
	}
	lib, _ := s.library.get()
	page := scenarioEditPage{File: f, Text: string(data), Base: contentHash(data), Problems: problemsOf(lib, f.Path)}
	return s.render(c, http.StatusOK, "scenario_edit", s.locale(c).T("editor.title", f.Name), page)
}

// editorFileName is the file an editor URL names: /trainer/scenarios/:file
// or /trainer/scenarios/exams/:file.
func editorFileName(c echo.Context) string {
	if c.Path() == "/trainer/scenarios/exams/:file" {
		return scenarios.ExamDir + "/" + c.Param("file")
	}
	return c.Param("file")
}

func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
