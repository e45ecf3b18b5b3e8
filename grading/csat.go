package grading

import (
	"fmt"
	"time"
)

// CSAT is a simulated customer rating (1-5) and the terms it was made of, so
// a page can show how the customer "felt".
type CSAT struct {
	// Rating is clamp(Base + TimeAdjust + NoteAdjust, 1, 5); 1 when fatal.
	Rating int
	// Base comes from the outcome: 4 fixed, 3 rightly escalated, 2 otherwise,
	// 1 after a harmful action.
	Base    int
	Outcome string
	// TimeAdjust is 0 within the handle-time target, -1 up to twice the
	// target, -2 beyond.
	TimeAdjust int
	// NoteAdjust is +1 when the customer was told what happens next.
	NoteAdjust int
}

// Satisfied reports a 4 or 5, the ratings the CSAT percentage counts.
func (c CSAT) Satisfied() bool { return c.Rating >= 4 }

// simulateCSAT rates the contact from the customer's side: they cannot see
// the diagnosis, only whether the problem went away, how long it took and
// whether someone told them what happens next. It is deterministic so that
// regrading gives the same report.
func simulateCSAT(a Attempt, k AnswerKey, b *Breakdown) CSAT {
	c := CSAT{}
	switch {
	case b.Fatal:
		return CSAT{Rating: 1, Base: 1, Outcome: "harmful-action"}
	case b.FixedByTrainee:
		c.Base, c.Outcome = 4, "fixed"
	case a.Escalated && k.EscalationExpected:
		c.Base, c.Outcome = 3, "escalated"
	default:
		c.Base, c.Outcome = 2, "not-fixed"
	}
	c.TimeAdjust = timeAdjust(b.HandleTime, b.HandleTarget)
	if a.CustomerNote {
		c.NoteAdjust = 1
	}
	c.Rating = min(5, max(1, c.Base+c.TimeAdjust+c.NoteAdjust))
	return c
}

func timeAdjust(handle, target time.Duration) int {
	switch {
	case handle <= target:
		return 0
	case handle <= 2*target:
		return -1
	}
	return -2
}

// Explain says in English why the criterion earned what it did; pages in
// other languages translate Code instead.
func (c Criterion) Explain() string {
	why := c.Code
	switch c.Name {
	case CritRootCause:
		why = fmt.Sprintf("root cause %s (expected %v, got %v)", c.Code, c.Expected, c.Got)
	case CritEvidence:
		why = fmt.Sprintf("evidence %s: credit %.3g = right cited / (expected %d + wrongly cited %d); missing %v, extra %v",
			c.Code, c.Credit, len(c.Expected), len(c.Extra), c.Missing, c.Extra)
	case CritEscalation:
		why = "escalation " + c.Code
	case CritResolution:
		why = fmt.Sprintf("resolution %s (remedy %v)", c.Code, c.Got)
	case CritHandleTime:
		why = fmt.Sprintf("handle time %s: credit %.3g", c.Code, c.Credit)
	}
	return fmt.Sprintf("%s: %.4g of %.4g points — %s", c.Name, c.Points, c.Weight, why)
}
