package webui

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// The web layer's own domain errors; store.ErrNotFound, store.ErrConflict and
// store.ErrInvalid are the others handleError knows.
var (
	errForbidden    = errors.New("forbidden")
	errUnauthorized = errors.New("not signed in")
	errTooMany      = errors.New("too many requests")
)

func forbidden(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, errForbidden)...)
}

// statusOf maps an error to the HTTP status it deserves.
func statusOf(err error) int {
	var he *echo.HTTPError
	switch {
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
	case errors.Is(err, errTooMany):
		return http.StatusTooManyRequests
	case errors.Is(err, store.ErrNotFound), errors.Is(err, errNoSuchFile):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrBadCredentials):
		return http.StatusBadRequest
	case errors.As(err, &he):
		return he.Code
	}
	return http.StatusInternalServerError
}

// handleError is the one place where errors become responses: JSON under
// /api/, an HTML page elsewhere. The body only ever carries a message chosen
// by status, never err's text, which may hold internals (file paths, SQL, or
// — during an exam — parts of the answer key).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := statusOf(err)
	if status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed",
			slog.String("path", c.Request().URL.Path), slog.Any("error", err))
	} else {
		s.log.DebugContext(c.Request().Context(), "request refused",
			slog.Int("status", status), slog.Any("error", err))
	}
	loc := s.locale(c)
	msg := loc.T(statusKey(status))
	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case strings.HasPrefix(c.Request().URL.Path, "/api/"):
		werr = c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": msg}})
	default:
		werr = s.render(c, status, "error", loc.T("error.title", status), errorPage{Status: status, Message: msg})
	}
	if werr != nil {
		s.log.ErrorContext(c.Request().Context(), "write error response", slog.Any("error", werr))
	}
}

// errorPage is the data of the error template.
type errorPage struct {
	Status  int
	Message string
}

func statusKey(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
		http.StatusMethodNotAllowed, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests,
		http.StatusServiceUnavailable:
		return fmt.Sprintf("error.%d", status)
	}
	if status >= 500 {
		return "error.500"
	}
	return "error.400"
}
