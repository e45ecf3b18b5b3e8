package grading

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSimulateCSAT(t *testing.T) {
	const T = 3 * time.Minute
	tests := []struct {
		name      string
		fixed     bool
		fatal     bool
		escalated bool
		expected  bool // escalation expected
		note      bool
		handle    time.Duration
		rating    int
		outcome   string
	}{
		{"fixed, on time, told next steps", true, false, false, false, true, T, 5, "fixed"},           // 4 + 0 + 1
		{"fixed, on time, silent", true, false, false, false, false, T, 4, "fixed"},                   // 4 + 0 + 0
		{"fixed, slow, told", true, false, false, false, true, 2 * T, 4, "fixed"},                     // 4 - 1 + 1
		{"fixed, very slow, silent", true, false, false, false, false, 2*T + time.Second, 2, "fixed"}, // 4 - 2 + 0
		{"rightly escalated, told", false, false, true, true, true, T, 4, "escalated"},                // 3 + 0 + 1
		{"needless escalation, told", false, false, true, false, true, T, 3, "not-fixed"},             // 2 + 0 + 1
		{"not fixed, very slow, silent", false, false, false, false, false, 3 * T, 1, "not-fixed"},    // 2 - 2 + 0 = 0 → 1
		{"harmful beats everything", true, true, false, false, true, T, 1, "harmful-action"},          // 1
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Breakdown{FixedByTrainee: tt.fixed, Fatal: tt.fatal, HandleTime: tt.handle, HandleTarget: T}
			c := simulateCSAT(Attempt{Escalated: tt.escalated, CustomerNote: tt.note}, AnswerKey{EscalationExpected: tt.expected}, b)
			assert.Equal(t, tt.rating, c.Rating)
			assert.Equal(t, tt.outcome, c.Outcome)
			assert.Equal(t, tt.rating >= 4, c.Satisfied())
			if !tt.fatal {
				assert.Equal(t, min(5, max(1, c.Base+c.TimeAdjust+c.NoteAdjust)), c.Rating, "terms add up")
			}
		})
	}
}

func TestCriterionExplain(t *testing.T) {
	c := Criterion{Name: CritEvidence, Weight: 15, Credit: 0.5, Points: 7.5, Code: "partial",
		Expected: []string{"a", "b", "c"}, Got: []string{"a", "b", "x"}, Missing: []string{"c"}, Extra: []string{"x"}}
	assert.Equal(t, "evidence: 7.5 of 15 points — evidence partial: credit 0.5 = right cited / (expected 3 + wrongly cited 1); missing [c], extra [x]", c.Explain())
	h := Criterion{Name: CritHandleTime, Weight: 15, Credit: 0.5, Points: 7.5, Code: "over-target"}
	assert.Equal(t, "handle_time: 7.5 of 15 points — handle time over-target: credit 0.5", h.Explain())
}
