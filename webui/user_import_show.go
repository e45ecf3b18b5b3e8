package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// userImportPage is the data of the CSV import template.
type userImportPage struct {
	Form     *form
	Problems []lineError
}

// userImportShow shows the CSV import form with an example.
func (s *Server) userImportShow(c echo.Context) error {
	return s.render(c, http.StatusOK, "user_import", s.locale(c).T("import.title"), userImportPage{Form: newForm(nil)})
}
