package grading

import (
	"slices"
	"time"
)

func rootCauseCriterion(w float64, a Attempt, k *keyDef) Criterion {
	c := Criterion{Name: CritRootCause, Weight: w, Expected: []string{k.key.RootCause}, Code: "wrong"}
	switch {
	case a.RootCause == "":
		c.Code = "missing"
	case a.RootCause == k.key.RootCause:
		c.Credit, c.Code = 1, "correct"
	}
	if a.RootCause != "" {
		c.Got = []string{a.RootCause}
	}
	return c
}

// evidenceCriterion gives hits / (expected + wrongly cited), so citing every
// piece of evidence on offer does not earn full credit.
func evidenceCriterion(w float64, a Attempt, k *keyDef) Criterion {
	c := Criterion{Name: CritEvidence, Weight: w, Expected: k.key.Evidence}
	hits := 0
	for _, id := range a.Evidence {
		if slices.Contains(c.Got, id) {
			continue
		}
		c.Got = append(c.Got, id)
		if k.evidence[id] {
			hits++
		} else {
			c.Extra = append(c.Extra, id)
		}
	}
	for _, id := range k.key.Evidence {
		if !slices.Contains(c.Got, id) {
			c.Missing = append(c.Missing, id)
		}
	}
	den := len(k.evidence) + len(c.Extra)
	switch {
	case den == 0:
		c.Credit, c.Code = 1, "none-expected"
	case hits == 0:
		c.Code = "none-right"
	case len(c.Missing) == 0 && len(c.Extra) == 0:
		c.Credit, c.Code = 1, "all-cited"
	default:
		c.Credit, c.Code = float64(hits)/float64(den), "partial"
	}
	return c
}

func escalationCriterion(w float64, a Attempt, k *keyDef) Criterion {
	c := Criterion{Name: CritEscalation, Weight: w}
	switch {
	case a.Escalated && k.key.EscalationExpected:
		c.Credit, c.Code = 1, "escalated"
	case !a.Escalated && !k.key.EscalationExpected:
		c.Credit, c.Code = 1, "kept"
	case k.key.EscalationExpected:
		c.Code = "should-escalate"
	default:
		c.Code = "needless-escalation"
	}
	return c
}

func resolutionCriterion(w float64, b *Breakdown) Criterion {
	c := Criterion{Name: CritResolution, Weight: w}
	switch {
	case b.FirstContactResolved:
		c.Credit, c.Code = 1, "resolved"
	case b.FixedByTrainee:
		c.Code = "fixed-wrong-diagnosis"
	default:
		c.Code = "not-resolved"
	}
	if b.ResolvedBy != "" {
		c.Got = []string{b.ResolvedBy}
	}
	return c
}

// handleTimeCriterion: full credit up to the target, then a straight decline
// to zero at target + decline. Speed earns nothing with a wrong diagnosis,
// else an empty instant submission would collect the time points.
func handleTimeCriterion(w float64, b *Breakdown, decline time.Duration) Criterion {
	c := Criterion{Name: CritHandleTime, Weight: w}
	over := b.HandleTime - b.HandleTarget
	switch {
	case !b.RootCauseCorrect:
		c.Code = "diagnosis-wrong"
	case over <= 0:
		c.Credit, c.Code = 1, "within-target"
	case over >= decline:
		c.Code = "too-slow"
	default:
		c.Credit, c.Code = 1-float64(over)/float64(decline), "over-target"
	}
	return c
}
