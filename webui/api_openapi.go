package webui

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDoc describes the JSON API. It is written by hand; a test checks
// that every /api/v1 route is in it.
//
//go:embed apidoc/openapi.json
var openAPIDoc []byte

// apiOpenAPI serves the OpenAPI document, publicly: it holds no secrets and
// an agent needs it before it has a token.
func (s *Server) apiOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}
