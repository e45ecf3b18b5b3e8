package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// accountPage is the data of the account page: the user's API tokens and,
// right after creating one, its only plain-text copy.
type accountPage struct {
	Tokens   []store.APIToken
	NewToken string
	Form     *form
}

// accountShow lists the user's API tokens with the form to make one.
func (s *Server) accountShow(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, accountPage{Form: newForm(nil)})
}

func (s *Server) renderAccount(c echo.Context, status int, page accountPage) error {
	tokens, err := s.store.APITokens(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	page.Tokens = tokens
	return s.render(c, status, "account", s.locale(c).T("account.title"), page)
}
