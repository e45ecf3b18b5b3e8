package webui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// requireToken authenticates the JSON API with a bearer token (made on the
// account page). A session cookie never counts here: /api/ skips the CSRF
// check, so a cookie-authenticated API would be open to forged requests.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(userContextKey, (*store.User)(nil))
		token, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rtcdrill"`)
			return errUnauthorized
		}
		u, _, err := s.store.APITokenUser(c.Request().Context(), strings.TrimSpace(token))
		if errors.Is(err, store.ErrNotFound) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rtcdrill", error="invalid_token"`)
			return fmt.Errorf("api token: %w", errUnauthorized)
		}
		if err != nil {
			return err
		}
		if u.MustChangePassword {
			return forbidden("user %d must change the password first", u.ID)
		}
		c.Set(userContextKey, &u)
		return next(c)
	}
}

// apiAnswer is a diagnosis as the API takes and returns it.
type apiAnswer struct {
	RootCause    string   `json:"root_cause"`
	Evidence     []string `json:"evidence"`
	EvidenceNote string   `json:"evidence_note"`
	CustomerNote string   `json:"customer_note"`
	// Escalate is required on submit; null in a draft means undecided.
	Escalate *bool `json:"escalate"`
}

// apiAnswerOf is the stored draft in the API's shape.
func apiAnswerOf(ans store.Answer, saved bool) apiAnswer {
	out := apiAnswer{RootCause: ans.RootCause, Evidence: citedEvidence(ans.Evidence),
		EvidenceNote: evidenceText(ans.Evidence), CustomerNote: ans.CustomerNote}
	if out.Evidence == nil {
		out.Evidence = []string{}
	}
	if saved {
		out.Escalate = &ans.Escalate
	}
	return out
}

// apiAttempt is an attempt as the API shows it.
type apiAttempt struct {
	ID               uint           `json:"id"`
	Mode             store.Mode     `json:"mode"`
	Status           string         `json:"status"`
	StartedAt        time.Time      `json:"started_at"`
	Deadline         *time.Time     `json:"deadline"`
	RemainingSeconds *int           `json:"remaining_seconds"`
	Score            *float64       `json:"score"`
	Items            []apiItemState `json:"items"`
}

// apiItemState is where one item of an attempt stands.
type apiItemState struct {
	Position  int    `json:"position"`
	Submitted bool   `json:"submitted"`
	Href      string `json:"href"`
}

func (s *Server) apiAttemptOf(a examAttempt) apiAttempt {
	out := apiAttempt{ID: a.ID, Mode: a.Mode, Status: string(a.Status), StartedAt: a.StartedAt, Deadline: a.Deadline}
	if left, ok := a.Remaining(s.now()); ok && !a.Finished() {
		n := int(left / time.Second)
		out.RemainingSeconds = &n
	}
	if a.Finished() {
		out.Score = a.Score
	}
	for _, it := range a.Items {
		out.Items = append(out.Items, apiItemState{Position: it.Position, Submitted: it.SubmittedAt != nil,
			Href: fmt.Sprintf("/api/v1/attempts/%d/items/%d", a.ID, it.Position)})
	}
	return out
}

// apiCause and apiRemedy are catalog entries in both languages.
type apiCause struct {
	ID    string         `json:"id"`
	Layer string         `json:"layer"`
	Name  scenarios.Text `json:"name"`
}

type apiRemedy struct {
	ID   string         `json:"id"`
	Name scenarios.Text `json:"name"`
	Does scenarios.Text `json:"does"`
}

func apiCatalog(cat *scenarios.Catalog) ([]apiCause, []apiRemedy) {
	causes := make([]apiCause, 0, len(cat.Causes))
	for _, c := range cat.Causes {
		causes = append(causes, apiCause{ID: string(c.ID), Layer: c.Layer, Name: c.Name})
	}
	remedies := make([]apiRemedy, 0, len(cat.Remedies))
	for _, r := range cat.Remedies {
		remedies = append(remedies, apiRemedy{ID: string(r.ID), Name: r.Name, Does: r.Does})
	}
	return causes, remedies
}

// apiFormError answers a diagnosis that failed its checks with each
// field's message, as the page shows them beside the fields.
func apiFormError(c echo.Context, loc *Locale, f *form) error {
	return c.JSON(http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{
		"status": http.StatusUnprocessableEntity, "message": loc.T("form.problems"), "fields": f.errors}})
}

// bindJSON decodes a request body, answering 400 for malformed JSON.
func bindJSON(c echo.Context, v any) error {
	if err := c.Bind(v); err != nil {
		return fmt.Errorf("decode body: %w", store.ErrInvalid)
	}
	return nil
}
