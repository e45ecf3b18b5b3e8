package webui

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// signinPage is the data of the sign-in template.
type signinPage struct {
	Form *form
	Next string
}

// signinShow shows the sign-in form, or skips it for a signed-in user.
func (s *Server) signinShow(c echo.Context) error {
	next := localPath(c.QueryParam("next"), "/dashboard")
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	f := newForm(url.Values{})
	return s.render(c, http.StatusOK, "signin", s.locale(c).T("signin.title"), signinPage{Form: f, Next: next})
}
