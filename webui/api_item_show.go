package webui

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// apiItem is an item as the API shows it before submission: the ticket and
// the catalog's full lists, exactly what the page shows.
type apiItem struct {
	Position         int               `json:"position"`
	Submitted        bool              `json:"submitted"`
	RemainingSeconds *int              `json:"remaining_seconds"`
	Ticket           scenarios.Ticket  `json:"ticket"`
	Causes           []apiCause        `json:"causes"`
	Remedies         []apiRemedy       `json:"remedies"`
	EvidenceIDs      []string          `json:"evidence_ids"`
	Answer           apiAnswer         `json:"answer"`
	Actions          []actionJSON      `json:"actions"`
	Tools            []string          `json:"tools"`
	ToolRuns         []toolRun         `json:"tool_runs"`
	Links            map[string]string `json:"links"`
}

// apiItemShow opens an item (its handle time starts, its call connects) and
// returns its ticket, the choices and the trainee's work so far.
func (s *Server) apiItemShow(c echo.Context) error {
	ctx := c.Request().Context()
	a, it, err := s.attemptItemParam(c)
	if err != nil {
		return err
	}
	spec, err := s.callSpecOf(a, it)
	if err != nil {
		return err
	}
	if spec.item, err = s.openItem(ctx, a, it); err != nil {
		return err
	}
	open := !a.Finished() && it.SubmittedAt == nil
	if open {
		s.live.prewarm(spec)
	}
	base := fmt.Sprintf("/api/v1/attempts/%d/items/%d", a.ID, it.Position)
	out := apiItem{Position: it.Position, Submitted: it.SubmittedAt != nil, Ticket: spec.scenario.Ticket(),
		EvidenceIDs: evidenceIDs(), Actions: []actionJSON{}, Tools: diagnosticTools(), Links: map[string]string{
			"samples": base + "/samples", "stream": base + "/stream", "log": base + "/log",
			"remedies": base + "/remedies", "tools": base + "/tools/{tool}", "answer": base + "/answer", "submit": base + "/submit",
			"result": fmt.Sprintf("/api/v1/attempts/%d/result", a.ID)}}
	out.Causes, out.Remedies = apiCatalog(spec.catalog)
	if left, ok := a.Remaining(s.now()); ok && open {
		n := int(left / time.Second)
		out.RemainingSeconds = &n
	}
	ans, err := s.store.Answer(ctx, it.ID)
	switch {
	case err == nil:
		out.Answer = apiAnswerOf(ans, true)
	case isNotFound(err):
		out.Answer = apiAnswerOf(ans, false)
	default:
		return err
	}
	acts, err := s.store.Actions(ctx, it.ID)
	if err != nil {
		return err
	}
	loc := s.locale(c)
	for _, act := range acts {
		if act.Kind == store.ActionRemedy {
			out.Actions = append(out.Actions, actionJSONOf(loc, spec, act))
		}
	}
	out.ToolRuns = toolRuns(acts)
	if out.ToolRuns == nil {
		out.ToolRuns = []toolRun{}
	}
	return c.JSON(http.StatusOK, out)
}
