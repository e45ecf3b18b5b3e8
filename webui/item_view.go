package webui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// itemPage is the data of the exam item page. It is built from the
// scenario's Ticket and the catalog only: every cause, remedy and metric is
// listed the same way for every scenario, so nothing on it marks the key.
type itemPage struct {
	AttemptID     uint
	Position      int
	Number, Total int
	Items         []itemLink
	Ticket        scenarios.Ticket
	Timed         bool
	Remaining     int    // seconds, at render time
	RemainingText string // the same as m:ss, for the page without script
	// HandlingMinutes is the ticket's target handling time, rounded up.
	HandlingMinutes int
	Charts          []chart
	Log             []logLine
	Tools           []toolView
	ToolRuns        []toolRun
	Remedies        []remedyView
	Actions         []actionView
	Causes          []causeGroup
	Evidence        []evidenceView
	Form            *form
	BaseURL         string
}

// itemLink is one entry of the attempt's item navigation.
type itemLink struct {
	Number            int
	Href              string
	Submitted, Active bool
}

// chart is one chart of the live panel: which sample field it plots and
// how to show it (value × Scale, in Unit).
type chart struct {
	ID, Metric, Label, Unit string
	Scale                   float64
	Digits                  int
}

// liveCharts are the panel's charts, in the order a support desk reads them.
func liveCharts(loc *Locale) []chart {
	return []chart{
		{"rtt", "roundTripTime", loc.T("chart.rtt"), "ms", 1000, 0},
		{"loss", "fractionLost", loc.T("chart.loss"), "%", 100, 1},
		{"jitter", "jitter", loc.T("chart.jitter"), "ms", 1000, 0},
		{"bitrate", "bitrateIn", loc.T("chart.bitrate"), "kbit/s", 0.001, 0},
		{"fps", "framesPerSecond", loc.T("chart.fps"), "fps", 1, 0},
		{"mos", "mos", loc.T("chart.mos"), "", 1, 2},
		{"cpu", "serverCpu", loc.T("chart.cpu"), "%", 100, 0},
	}
}

// logLine is one line of the call's log as the page shows it.
type logLine struct {
	At, Peer, Kind, Message string
}

// enginePeer names the simulator's own log lines: the impairment it set,
// the fault it injected. They state the fault itself, so a trainee never
// sees them; the lines of the customer's app and of the servers are the
// evidence to read, as on a real desk.
const enginePeer = "engine"

// traineeLog is the call's log without the engine's lines.
func traineeLog(events []simulator.Event) []simulator.Event {
	out := make([]simulator.Event, 0, len(events))
	for _, e := range events {
		if e.Peer != enginePeer {
			out = append(out, e)
		}
	}
	return out
}

func logLines(events []simulator.Event) []logLine {
	out := make([]logLine, len(events))
	for i, e := range events {
		out[i] = logLine{At: clockText(e.Offset), Peer: e.Peer, Kind: e.Kind, Message: e.Message}
	}
	return out
}

// clockText shows a timeline offset as m:ss.
func clockText(d time.Duration) string {
	d = max(d, 0).Truncate(time.Second)
	return fmt.Sprintf("%d:%02d", int(d/time.Minute), int(d%time.Minute/time.Second))
}

// remedyView is a remedy button.
type remedyView struct{ ID, Name, Does string }

// toolView is a diagnostic tool's button.
type toolView struct{ ID, Name string }

// actionView is a remedy the trainee applied and what it did.
type actionView struct{ Remedy, Name, At, Outcome, Error string }

// causeGroup is the causes of one layer, an optgroup of the diagnosis.
type causeGroup struct {
	Layer  string
	Causes []causeView
}

// causeView is one root cause to choose from.
type causeView struct{ ID, Name string }

// evidenceView is one evidence checkbox.
type evidenceView struct {
	ID, Label string
	Checked   bool
}

// itemPageOf builds the item page. With a nil form the diagnosis is filled
// from the stored draft.
func (s *Server) itemPageOf(ctx context.Context, loc *Locale, a examAttempt, it store.AttemptItem,
	spec callSpec, f *form) (itemPage, error) {
	p := itemPage{AttemptID: a.ID, Position: it.Position, Number: it.Position + 1, Total: len(a.Items),
		Ticket: spec.scenario.Ticket(), Charts: liveCharts(loc), BaseURL: itemURL(a.ID, it.Position)}
	p.HandlingMinutes = int((p.Ticket.HandlingTime + time.Minute - 1) / time.Minute)
	for _, other := range a.Items {
		p.Items = append(p.Items, itemLink{Number: other.Position + 1, Href: itemURL(a.ID, other.Position),
			Submitted: other.SubmittedAt != nil, Active: other.ID == it.ID})
	}
	if left, ok := a.Remaining(s.now()); ok {
		p.Timed, p.Remaining, p.RemainingText = true, int(left/time.Second), clockText(left)
	}
	if lc, ok := s.live.running(it.ID); ok {
		p.Log = logLines(traineeLog(lc.sess.Log()))
	}
	p.Remedies = remedyViews(loc, spec.catalog)
	acts, err := s.store.Actions(ctx, it.ID)
	if err != nil {
		return itemPage{}, err
	}
	p.Actions = actionViews(loc, spec.catalog, acts)
	p.ToolRuns = toolRuns(acts)
	for _, t := range diagnosticTools() {
		p.Tools = append(p.Tools, toolView{ID: t, Name: loc.T(fmt.Sprintf("tool.%s", t))})
	}
	p.Causes = causeGroups(loc, spec.catalog)
	if f == nil {
		if f, err = s.draftForm(ctx, it.ID); err != nil {
			return itemPage{}, err
		}
	}
	p.Form = f
	chosen := f.values["evidence"]
	for _, id := range evidenceIDs() {
		p.Evidence = append(p.Evidence, evidenceView{ID: id, Label: metricLabel(loc, id), Checked: slices.Contains(chosen, id)})
	}
	return p, nil
}

func remedyViews(loc *Locale, cat *scenarios.Catalog) []remedyView {
	out := make([]remedyView, 0, len(cat.Remedies))
	for _, r := range cat.Remedies {
		out = append(out, remedyView{ID: string(r.ID), Name: loc.Pick(r.Name), Does: loc.Pick(r.Does)})
	}
	return out
}

func actionViews(loc *Locale, cat *scenarios.Catalog, acts []store.Action) []actionView {
	var out []actionView
	for _, a := range acts {
		if a.Kind != store.ActionRemedy {
			continue
		}
		v := actionView{Remedy: a.Name, Name: a.Name, At: clockText(a.Offset())}
		if r, err := cat.Remedy(a.Name); err == nil {
			v.Name = loc.Pick(r.Name)
		}
		o := outcomeOf(a)
		v.Outcome, v.Error = o.Outcome, o.Error
		out = append(out, v)
	}
	return out
}

// causeGroups lists every cause of the catalog by layer, layers in the
// order they first appear.
func causeGroups(loc *Locale, cat *scenarios.Catalog) []causeGroup {
	var out []causeGroup
	for _, c := range cat.Causes {
		i := slices.IndexFunc(out, func(g causeGroup) bool { return g.Layer == c.Layer })
		if i < 0 {
			out = append(out, causeGroup{Layer: c.Layer})
			i = len(out) - 1
		}
		out[i].Causes = append(out[i].Causes, causeView{ID: string(c.ID), Name: loc.Pick(c.Name)})
	}
	return out
}

// draftForm fills the diagnosis form from the stored draft, if any.
func (s *Server) draftForm(ctx context.Context, itemID uint) (*form, error) {
	f := newForm(nil)
	ans, err := s.store.Answer(ctx, itemID)
	if err != nil {
		if isNotFound(err) {
			return f, nil
		}
		return nil, err
	}
	f.Set("root_cause", ans.RootCause)
	f.values["evidence"] = citedEvidence(ans.Evidence)
	f.Set("evidence_note", evidenceText(ans.Evidence))
	f.Set("customer_note", ans.CustomerNote)
	f.Set("escalate", "no")
	if ans.Escalate {
		f.Set("escalate", "yes")
	}
	return f, nil
}
