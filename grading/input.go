package grading

import (
	"fmt"
	"time"
)

// AnswerKey is a scenario's answer key as grading sees it. The web layer maps
// it from the scenario file; grading keeps no link to the scenarios package
// so that scoring can be tested on its own.
type AnswerKey struct {
	// ScenarioID identifies the scenario (unique among keys).
	ScenarioID string
	// FaultClass groups scenarios for strengths and weaknesses
	// (e.g. "network", "signaling", "codec").
	FaultClass string
	// RootCause is the id of the correct diagnosis.
	RootCause string
	// ResolvingRemedies are action ids that fix the fault; one of them must be
	// among the trainee's actions for the resolution to count as theirs.
	ResolvingRemedies []string
	// AcceptedRemedies are action ids that do not fix the fault but are
	// reasonable; they cost nothing. Anything neither accepted, resolving nor
	// harmful is listed as "other" in the breakdown, also at no cost.
	AcceptedRemedies []string
	// HarmfulActions are action ids that zero the scenario (e.g. tearing down
	// a healthy call).
	HarmfulActions []string
	// EscalationExpected tells whether the right handling escalates to
	// engineering.
	EscalationExpected bool
	// Evidence lists the evidence ids the trainee should cite.
	Evidence []string
	// EvidenceNames maps evidence ids to display names (optional, for pages).
	EvidenceNames map[string]string
	// ExpectedHandleTime is this scenario's handle-time target; 0 uses the
	// grader's AHT target.
	ExpectedHandleTime time.Duration
	// Weights overrides the scoring weights for this scenario (nil: none).
	Weights *Weights
}

// Action is one action the trainee took during an attempt.
type Action struct {
	// ID is the action id as the scenario names it (e.g. "switch-turn-tcp").
	ID string
	// At is when the action was taken.
	At time.Time
}

// Attempt is one trainee's submission of one scenario, with the engine's
// verdict.
type Attempt struct {
	// UserID identifies the trainee; every CSV export is keyed by it.
	UserID string
	// Team is the trainee's team or cohort label at the time of the attempt.
	Team string
	// ExamID is the exam sitting this attempt belongs to; empty for practice.
	ExamID string
	// AttemptNo is the 1-based sitting number of this user for this exam (for
	// practice: for this scenario). Item statistics use AttemptNo 1 by default.
	AttemptNo int
	// ScenarioID identifies the answer key.
	ScenarioID string
	// VariantSeed identifies the randomised variant the trainee got.
	VariantSeed int64
	// OpenedAt is when the ticket was opened.
	OpenedAt time.Time
	// SubmittedAt is when the trainee submitted (wrap-up done).
	SubmittedAt time.Time
	// WrapUp is after-contact work logged outside the opened-submitted window;
	// 0 when SubmittedAt already includes the wrap-up (the web UI's case).
	WrapUp time.Duration
	// RootCause is the submitted diagnosis id.
	RootCause string
	// Evidence lists the evidence ids the trainee cited.
	Evidence []string
	// Escalated tells whether the trainee escalated to engineering.
	Escalated bool
	// CustomerNote tells whether the trainee told the customer what happens
	// next.
	CustomerNote bool
	// Actions lists what the trainee did, in any order.
	Actions []Action
	// Resolved is the engine's signal that the fault was gone at submission.
	Resolved bool
	// TimeToRecover is the engine's time from fault onset to recovery
	// (0 when not resolved).
	TimeToRecover time.Duration
	// Drawn lists the scenario ids the attempt's exam sitting was given, so
	// that a drawn item the trainee never submitted still scores 0 while the
	// pool's other items do not count. The results of one sitting may share
	// one slice (it is then read once per sitting). Empty: not recorded; a
	// fixed exam then counts every item and a drawing exam (Exam.Draw) the
	// items the sitting has results for. Ids not in the exam are ignored:
	// the pool may have changed since the sitting.
	Drawn []string
}

// First reports whether the attempt belongs to the first sitting, the one
// item statistics use by default.
func (a Attempt) First() bool { return a.AttemptNo == 1 }

// HandleTime is opened to submitted plus any separately logged wrap-up.
func (a Attempt) HandleTime() time.Duration {
	return a.SubmittedAt.Sub(a.OpenedAt) + a.WrapUp
}

func (a Attempt) validate() error {
	switch {
	case a.UserID == "":
		return fmt.Errorf("attempt of scenario %q: empty user id", a.ScenarioID)
	case a.ScenarioID == "":
		return fmt.Errorf("attempt of user %q: empty scenario id", a.UserID)
	case a.AttemptNo < 1:
		return fmt.Errorf("attempt %d: attempt number must be >= 1", a.AttemptNo)
	case a.OpenedAt.IsZero() || a.SubmittedAt.IsZero():
		return fmt.Errorf("attempt not submitted: opened %v, submitted %v", a.OpenedAt, a.SubmittedAt)
	case a.SubmittedAt.Before(a.OpenedAt):
		return fmt.Errorf("attempt submitted %v before it was opened %v", a.SubmittedAt, a.OpenedAt)
	case a.WrapUp < 0 || a.TimeToRecover < 0:
		return fmt.Errorf("attempt: negative wrap-up %v or time to recover %v", a.WrapUp, a.TimeToRecover)
	}
	return nil
}

// Exam is a set of scenarios sat together and scored as one.
type Exam struct {
	// ID identifies the exam.
	ID string
	// Items are the exam's scenarios with their share of the exam score.
	Items []ExamItem
	// PassMark is the exam score (percent, 0-100] needed to pass.
	PassMark float64
	// Draw is how many of Items each sitting draws; 0, or at least
	// len(Items), means a fixed exam where every sitting gets every item.
	// A sitting counts only the items it drew (Attempt.Drawn), so grading
	// must know whether the items a sitting has no result for were drawn.
	Draw int
	// Weights overrides the scoring weights for the exam's scenarios that
	// set none themselves (nil: none).
	Weights *Weights
}

// ExamItem is one scenario in an exam.
type ExamItem struct {
	// ScenarioID identifies the answer key.
	ScenarioID string
	// Weight is the item's share of the exam score; 0 means 1 (equal shares).
	Weight float64
	// Weights overrides the scoring weights for this scenario in this exam
	// only; it wins over every other override.
	Weights *Weights
}

func (k AnswerKey) validate() error {
	if k.ScenarioID == "" {
		return fmt.Errorf("answer key: empty scenario id")
	}
	if k.RootCause == "" {
		return fmt.Errorf("answer key %s: empty root cause", k.ScenarioID)
	}
	if k.ExpectedHandleTime < 0 {
		return fmt.Errorf("answer key %s: negative expected handle time", k.ScenarioID)
	}
	if k.Weights != nil {
		if err := k.Weights.validate(); err != nil {
			return fmt.Errorf("answer key %s: %w", k.ScenarioID, err)
		}
	}
	return nil
}

func (e Exam) validate(keys map[string]*keyDef) error {
	if e.ID == "" {
		return fmt.Errorf("exam: empty id")
	}
	if len(e.Items) == 0 {
		return fmt.Errorf("exam %s: no items", e.ID)
	}
	if !(e.PassMark > 0 && e.PassMark <= 100) {
		return fmt.Errorf("exam %s: pass mark %v not in (0, 100]", e.ID, e.PassMark)
	}
	if e.Draw < 0 {
		return fmt.Errorf("exam %s: negative draw %d", e.ID, e.Draw)
	}
	if e.Weights != nil {
		if err := e.Weights.validate(); err != nil {
			return fmt.Errorf("exam %s: %w", e.ID, err)
		}
	}
	seen := make(map[string]bool, len(e.Items))
	for _, it := range e.Items {
		if _, ok := keys[it.ScenarioID]; !ok {
			return fmt.Errorf("exam %s: scenario %q: %w", e.ID, it.ScenarioID, ErrNotFound)
		}
		if seen[it.ScenarioID] {
			return fmt.Errorf("exam %s: scenario %q listed twice", e.ID, it.ScenarioID)
		}
		seen[it.ScenarioID] = true
		if it.Weight < 0 {
			return fmt.Errorf("exam %s: scenario %q: negative weight", e.ID, it.ScenarioID)
		}
		if it.Weights != nil {
			if err := it.Weights.validate(); err != nil {
				return fmt.Errorf("exam %s: scenario %q: %w", e.ID, it.ScenarioID, err)
			}
		}
	}
	return nil
}
