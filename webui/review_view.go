package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// itemReview is a submitted item as its trainee may see it. With Visible
// false it carries no more than "submitted": the review policy keeps the
// score, the breakdown and the key for later.
type itemReview struct {
	Position      int
	Number        int
	Title         string
	Submitted     bool
	AutoSubmitted bool
	Visible       bool
	Score         float64
	Criteria      []criterionView
	Fatal         bool
	Harmful       []string
	ResolvedBy    string
	CSAT          int
	CSATOutcome   string
	YourCause     string
	RightCause    string
	Explanation   string
	KBTitle       string
	KBBody        string
}

// criterionView is one line of a score breakdown.
type criterionView struct {
	Name, Code     string
	Points, Weight float64
	Expected, Got  string
	Missing, Extra string
	HasEvidence    bool
}

// reviewOf builds an item's review. The key's parts (root cause, remedies
// named in the breakdown, explanation, article) are read only when the
// review is visible.
func (s *Server) reviewOf(ctx context.Context, loc *Locale, a examAttempt, it store.AttemptItem) (itemReview, error) {
	r := itemReview{Position: it.Position, Number: it.Position + 1, Submitted: it.SubmittedAt != nil}
	sc, cat, err := s.scenarioOf(it)
	if err == nil {
		r.Title = loc.Pick(sc.Ticket().Title)
	}
	if !r.Submitted {
		return r, nil
	}
	var rep itemReport
	if err := json.Unmarshal([]byte(it.Report), &rep); err != nil {
		return itemReview{}, fmt.Errorf("review item %d: %w", it.ID, err)
	}
	r.AutoSubmitted = rep.AutoSubmitted
	if !s.reviewVisible(a, it) || sc == nil {
		return r, nil
	}
	b := rep.Breakdown
	r.Visible, r.Score, r.Fatal, r.CSAT = true, b.Score, b.Fatal, b.CSAT.Rating
	r.CSATOutcome = loc.T(fmt.Sprintf("csat.%s", b.CSAT.Outcome))
	for _, id := range b.HarmfulActions {
		r.Harmful = append(r.Harmful, remedyName(loc, cat, id))
	}
	if b.ResolvedBy != "" {
		r.ResolvedBy = remedyName(loc, cat, b.ResolvedBy)
	}
	if ans, err := s.store.Answer(ctx, it.ID); err == nil && ans.RootCause != "" {
		r.YourCause = causeName(loc, cat, ans.RootCause)
	}
	r.RightCause = causeName(loc, cat, string(sc.Answer.RootCause))
	r.Explanation = loc.Pick(sc.Answer.Explanation)
	r.KBTitle, r.KBBody = loc.Pick(sc.Answer.KB.Title), loc.Pick(sc.Answer.KB.Body)
	for _, c := range b.Criteria {
		r.Criteria = append(r.Criteria, criterionViewOf(loc, c))
	}
	return r, nil
}

func criterionViewOf(loc *Locale, c grading.Criterion) criterionView {
	v := criterionView{Name: loc.T(fmt.Sprintf("crit.%s", c.Name)), Code: loc.T(fmt.Sprintf("code.%s", c.Code)),
		Points: c.Points, Weight: c.Weight}
	if c.Name == grading.CritEvidence {
		v.HasEvidence = true
		v.Expected, v.Got = metricList(loc, c.Expected), metricList(loc, c.Got)
		v.Missing, v.Extra = metricList(loc, c.Missing), metricList(loc, c.Extra)
	}
	return v
}

func metricList(loc *Locale, ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = metricLabel(loc, id)
	}
	return strings.Join(names, ", ")
}

func causeName(loc *Locale, cat *scenarios.Catalog, id string) string {
	if c, err := cat.Cause(id); err == nil {
		return loc.Pick(c.Name)
	}
	return id
}

func remedyName(loc *Locale, cat *scenarios.Catalog, id string) string {
	if r, err := cat.Remedy(id); err == nil {
		return loc.Pick(r.Name)
	}
	return id
}

// metricLabel names an evidence id (a metric, or the log) for people.
// A metric the catalog has no label for yet (the simulator's list grows)
// shows under its webrtc-stats name.
func metricLabel(loc *Locale, id string) string {
	key := fmt.Sprintf("metric.%s", id)
	if label := loc.T(key); label != key {
		return label
	}
	return id
}
