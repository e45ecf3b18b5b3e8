package grading

import (
	"fmt"
	"time"
)

// Result is a graded attempt: the attempt as submitted, the scenario's fault
// class (for strengths and weaknesses) and the explained score. Reports are
// built from Results. Regrading costs a few microseconds per attempt, so a
// store holding 100k attempts should keep the graded figures instead and
// rebuild Results from them: reports read only Attempt.UserID, Team, ExamID,
// AttemptNo, ScenarioID, VariantSeed, SubmittedAt, RootCause, TimeToRecover,
// Drawn, FaultClass and Breakdown.Score, RootCauseCorrect, FirstContactResolved,
// Fatal, HandleTime and CSAT.Rating.
type Result struct {
	Attempt    Attempt
	FaultClass string
	Breakdown  Breakdown
}

// Breakdown explains every point of a scenario attempt's score, so a page can
// show why the trainee got it.
type Breakdown struct {
	// Weights are the weights used and Source the level that supplied them.
	Weights Weights
	Source  WeightsSource
	// Criteria are, in order: root cause, evidence, escalation, resolution,
	// handle time.
	Criteria []Criterion
	// Points is the sum of the criteria's points (0 when Fatal); MaxPoints
	// the sum of the weights.
	Points    float64
	MaxPoints float64
	// Score is 100 × Points / MaxPoints, in [0, 100].
	Score float64
	// Fatal is set when a harmful action was taken; HarmfulActions lists them.
	Fatal          bool
	HarmfulActions []string
	// AcceptedActions and OtherActions list the remaining actions (no cost).
	AcceptedActions []string
	OtherActions    []string
	// RootCauseCorrect tells whether the submitted diagnosis is the key's.
	RootCauseCorrect bool
	// FixedByTrainee: the engine says resolved and one of the trainee's
	// actions is a resolving remedy (any action when the key lists none).
	FixedByTrainee bool
	// ResolvedBy is the earliest resolving remedy taken and ResolvedAfter its
	// time since the ticket opened (empty and 0 when none).
	ResolvedBy    string
	ResolvedAfter time.Duration
	// FirstContactResolved is FixedByTrainee with the right root cause: the
	// FCR numerator.
	FirstContactResolved bool
	// HandleTime is the attempt's handle time; HandleTarget the target it was
	// scored against.
	HandleTime   time.Duration
	HandleTarget time.Duration
	// CSAT is the simulated customer rating and its terms.
	CSAT CSAT
}

// Criterion is one scored part of an attempt.
type Criterion struct {
	// Name is the criterion's stable id.
	Name CriterionName
	// Weight is the most it can earn; Credit in [0, 1] what it would earn;
	// Points = Weight × Credit, or 0 when the attempt is fatal.
	Weight float64
	Credit float64
	Points float64
	// Code says why, as a stable id the pages translate.
	Code string
	// Expected and Got are what the key asked for and what the trainee gave;
	// Missing and Extra their differences (evidence only).
	Expected []string
	Got      []string
	Missing  []string
	Extra    []string
}

// CriterionName identifies a criterion.
type CriterionName string

// The criteria.
const (
	// CritRootCause is the diagnosis.
	CritRootCause CriterionName = "root_cause"
	// CritEvidence is the evidence cited for it.
	CritEvidence CriterionName = "evidence"
	// CritEscalation is the escalation decision.
	CritEscalation CriterionName = "escalation"
	// CritResolution is first-contact resolution.
	CritResolution CriterionName = "resolution"
	// CritHandleTime is the handle time against its target.
	CritHandleTime CriterionName = "handle_time"
)

// Grade scores one attempt against its scenario's answer key, with the
// weights of the most specific level: exam item, scenario, exam, default.
func (g *Grader) Grade(a Attempt) (Result, error) {
	var r Result
	if err := g.gradeInto(&r, a); err != nil {
		return Result{}, fmt.Errorf("grade: %w", err)
	}
	return r, nil
}

// GradeAll grades attempts in order; it stops at the first invalid one.
func (g *Grader) GradeAll(attempts []Attempt) ([]Result, error) {
	out := make([]Result, len(attempts))
	for i := range attempts {
		if err := g.gradeInto(&out[i], attempts[i]); err != nil {
			return nil, fmt.Errorf("grade attempt %d of %d: %w", i+1, len(attempts), err)
		}
	}
	return out, nil
}

// gradeInto fills *r in place: a Result is about half a kilobyte, and
// copying it twice per attempt showed up when regrading 100k attempts.
func (g *Grader) gradeInto(r *Result, a Attempt) error {
	if err := a.validate(); err != nil {
		return err
	}
	k, ok := g.keys[a.ScenarioID]
	if !ok {
		return fmt.Errorf("scenario %q: %w", a.ScenarioID, ErrNotFound)
	}
	w, src, err := g.weightsFor(a, k)
	if err != nil {
		return err
	}
	target := k.key.ExpectedHandleTime
	if target == 0 {
		target = g.targets.AHT
	}
	r.Attempt, r.FaultClass = a, k.key.FaultClass
	b := &r.Breakdown
	*b = Breakdown{Weights: w, Source: src, MaxPoints: w.Total(), HandleTime: a.HandleTime(), HandleTarget: target}
	b.RootCauseCorrect = a.RootCause == k.key.RootCause
	classifyActions(b, a, k)
	b.FirstContactResolved = b.FixedByTrainee && b.RootCauseCorrect
	b.Criteria = []Criterion{
		rootCauseCriterion(w.RootCause, a, k),
		evidenceCriterion(w.Evidence, a, k),
		escalationCriterion(w.Escalation, a, k),
		resolutionCriterion(w.Resolution, b),
		handleTimeCriterion(w.HandleTime, b, g.decline),
	}
	for i := range b.Criteria {
		c := &b.Criteria[i]
		if !b.Fatal {
			c.Points = c.Weight * c.Credit
		}
		b.Points += c.Points
	}
	b.Score = 100 * b.Points / b.MaxPoints
	b.CSAT = simulateCSAT(a, k.key, b)
	return nil
}

func (g *Grader) weightsFor(a Attempt, k *keyDef) (Weights, WeightsSource, error) {
	var exam *examDef
	if a.ExamID != "" {
		var ok bool
		if exam, ok = g.exams[a.ExamID]; !ok {
			return Weights{}, "", fmt.Errorf("exam %q: %w", a.ExamID, ErrNotFound)
		}
		i, ok := exam.index[a.ScenarioID]
		if !ok {
			return Weights{}, "", fmt.Errorf("exam %q has no scenario %q: %w", a.ExamID, a.ScenarioID, ErrNotFound)
		}
		if w := exam.exam.Items[i].Weights; w != nil {
			return *w, SourceExamItem, nil
		}
	}
	switch {
	case k.key.Weights != nil:
		return *k.key.Weights, SourceScenario, nil
	case exam != nil && exam.exam.Weights != nil:
		return *exam.exam.Weights, SourceExam, nil
	}
	return g.weights, SourceDefault, nil
}

// classifyActions sorts the trainee's actions into harmful, resolving,
// accepted and other, and decides FixedByTrainee.
func classifyActions(b *Breakdown, a Attempt, k *keyDef) {
	var resolvedAt time.Time
	tookResolving := false
	for i, act := range a.Actions {
		if k.resolving[act.ID] {
			tookResolving = true
			if b.ResolvedBy == "" || act.At.Before(resolvedAt) {
				b.ResolvedBy, resolvedAt = act.ID, act.At
			}
		}
		if seenBefore(a.Actions, i) {
			continue
		}
		switch {
		case k.harmful[act.ID]:
			b.HarmfulActions = append(b.HarmfulActions, act.ID)
		case k.resolving[act.ID]:
		case k.accepted[act.ID]:
			b.AcceptedActions = append(b.AcceptedActions, act.ID)
		default:
			b.OtherActions = append(b.OtherActions, act.ID)
		}
	}
	b.Fatal = len(b.HarmfulActions) > 0
	if b.ResolvedBy != "" {
		b.ResolvedAfter = max(0, resolvedAt.Sub(a.OpenedAt))
	}
	b.FixedByTrainee = a.Resolved && (tookResolving || len(k.resolving) == 0)
}

// seenBefore reports whether actions[i]'s id occurred earlier. Action lists
// are a handful long, where a scan beats building a set per attempt.
func seenBefore(actions []Action, i int) bool {
	for _, prev := range actions[:i] {
		if prev.ID == actions[i].ID {
			return true
		}
	}
	return false
}
