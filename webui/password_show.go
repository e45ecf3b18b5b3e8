package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// passwordPage is the data of the change-password template.
type passwordPage struct {
	Form *form
	// Forced is set on the first sign-in with a one-time password, when the
	// current password is not asked for again.
	Forced bool
}

// passwordShow shows the change-password form.
func (s *Server) passwordShow(c echo.Context) error {
	u := currentUser(c)
	return s.render(c, http.StatusOK, "password", s.locale(c).T("password.title"),
		passwordPage{Form: newForm(nil), Forced: u.MustChangePassword})
}
