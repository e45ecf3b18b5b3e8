package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// tokenCreate issues an API token and shows it once; only its hash is kept.
func (s *Server) tokenCreate(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(params)
	checkLength(f, s.locale(c), "name", 1, 80)
	if !f.OK() {
		return s.renderAccount(c, http.StatusUnprocessableEntity, accountPage{Form: f})
	}
	token, _, err := s.store.CreateAPIToken(c.Request().Context(), currentUser(c).ID, f.Value("name"), nil)
	if err != nil {
		return err
	}
	return s.renderAccount(c, http.StatusCreated, accountPage{Form: newForm(nil), NewToken: token})
}
