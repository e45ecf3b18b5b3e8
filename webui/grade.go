package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// evidenceLog is the evidence id for "the call's log shows it", offered
// beside the metric names; a scenario whose key lists log patterns expects
// it.
const evidenceLog = "log"

// evidenceTextPrefix marks the free-text evidence a trainee writes, kept in
// the answer's evidence list but never graded: grading counts ids only.
const evidenceTextPrefix = "text:"

// evidenceIDs are the evidence ids a trainee may cite: every metric the
// panel shows and the log, the same for every scenario.
func evidenceIDs() []string { return append(scenarios.MetricNames(), evidenceLog) }

// answerKeyOf maps a scenario's key to grading's. Evidence ids are the
// metric names of the key's conditions, plus evidenceLog when it lists log
// patterns; the fault class is the root cause's layer in the catalog.
func answerKeyOf(sc *scenarios.Scenario, cat *scenarios.Catalog) grading.AnswerKey {
	ak := sc.Answer
	k := grading.AnswerKey{
		ScenarioID: string(sc.ID), RootCause: string(ak.RootCause),
		ResolvingRemedies: slugs(ak.Resolves), AcceptedRemedies: slugs(ak.Accepted), HarmfulActions: slugs(ak.Harmful),
		EscalationExpected: ak.Escalate, ExpectedHandleTime: sc.HandlingTime.Std(),
	}
	for _, c := range ak.Evidence.Metrics {
		if !slices.Contains(k.Evidence, c.Metric) {
			k.Evidence = append(k.Evidence, c.Metric)
		}
	}
	if len(ak.Evidence.Logs) > 0 {
		k.Evidence = append(k.Evidence, evidenceLog)
	}
	if cause, err := cat.Cause(string(ak.RootCause)); err == nil {
		k.FaultClass = cause.Layer
	}
	return k
}

func slugs(ss []scenarios.Slug) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// citedEvidence keeps the evidence ids of an answer, dropping free text.
func citedEvidence(ev []string) []string {
	var out []string
	for _, e := range ev {
		if slices.Contains(evidenceIDs(), e) {
			out = append(out, e)
		}
	}
	return out
}

// evidenceText is the free-text evidence of an answer.
func evidenceText(ev []string) string {
	for _, e := range ev {
		if t, ok := strings.CutPrefix(e, evidenceTextPrefix); ok {
			return t
		}
	}
	return ""
}

// itemReport is what attempt_items.report holds for a graded item.
type itemReport struct {
	Breakdown grading.Breakdown `json:"breakdown"`
	// AutoSubmitted marks an item graded from its draft when time ran out.
	AutoSubmitted bool `json:"auto_submitted,omitempty"`
}

// gradeItem scores an item's answer with package grading: the trainee's
// stored remedies, the engine's verdict, and the handle time from opening
// the ticket to at. It returns the record and report SubmitGraded stores.
func (s *Server) gradeItem(ctx context.Context, a store.Attempt, it store.AttemptItem, ans store.Answer,
	at time.Time, status simulator.Status, auto bool) (store.ResultRecord, string, error) {
	sc, cat, err := s.scenarioOf(it)
	if err != nil {
		return store.ResultRecord{}, "", fmt.Errorf("grade: %w", err)
	}
	acts, err := s.store.Actions(ctx, it.ID)
	if err != nil {
		return store.ResultRecord{}, "", fmt.Errorf("grade: %w", err)
	}
	ga := grading.Attempt{
		UserID: store.GradingID(a.UserID), AttemptNo: 1, ScenarioID: it.ScenarioID, VariantSeed: it.VariantSeed,
		OpenedAt: *it.OpenedAt, SubmittedAt: at, RootCause: ans.RootCause, Evidence: citedEvidence(ans.Evidence),
		Escalated: ans.Escalate, CustomerNote: strings.TrimSpace(ans.CustomerNote) != "",
		Resolved: status.Resolved, TimeToRecover: status.TimeToRecover,
	}
	if ga.SubmittedAt.Before(ga.OpenedAt) {
		ga.SubmittedAt = ga.OpenedAt
	}
	for _, act := range acts {
		if act.Kind != store.ActionRemedy {
			continue
		}
		ga.Actions = append(ga.Actions, grading.Action{ID: act.Name, At: act.At})
		// Escalating through the remedy is escalating too.
		if r, err := cat.Remedy(act.Name); err == nil && r.Effect.Kind == "escalate" {
			ga.Escalated = true
		}
	}
	g, err := grading.NewGrader(grading.WithScenarios(answerKeyOf(sc, cat)))
	if err != nil {
		return store.ResultRecord{}, "", fmt.Errorf("grade item %d: %w", it.ID, err)
	}
	res, err := g.Grade(ga)
	if err != nil {
		return store.ResultRecord{}, "", fmt.Errorf("grade item %d: %w", it.ID, err)
	}
	report, err := json.Marshal(itemReport{Breakdown: res.Breakdown, AutoSubmitted: auto})
	if err != nil {
		return store.ResultRecord{}, "", fmt.Errorf("grade item %d: %w", it.ID, err)
	}
	rec := store.ResultRecordOf(res)
	// The store numbers attempts and links exam and team from the item.
	rec.UserID, rec.AttemptNo = a.UserID, 0
	return rec, string(report), nil
}

// callStatus is the engine's verdict on an item's call if it is running; a
// call that is not (never started, or stopped idle) counts as unresolved.
func (s *Server) callStatus(itemID uint) simulator.Status {
	if lc, ok := s.live.running(itemID); ok {
		return lc.sess.Status()
	}
	return simulator.Status{}
}

// attemptScore is the attempt's share of the maximum: the mean item score,
// an item not submitted counting 0.
func attemptScore(a store.Attempt) float64 {
	if len(a.Items) == 0 {
		return 0
	}
	sum := 0.0
	for _, it := range a.Items {
		if it.Score != nil {
			sum += *it.Score
		}
	}
	return sum / float64(len(a.Items))
}
