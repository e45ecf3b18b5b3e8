package grading

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// turnKey: UDP blocked, fixed by switching to TURN over TCP. Default weights
// 35/15/10/25/15, handle-time target 3 min (the grader's AHT), decline 3 min.
func turnKey() AnswerKey {
	return AnswerKey{
		ScenarioID: "turn", FaultClass: "network", RootCause: "udp-blocked",
		ResolvingRemedies: []string{"switch-turn-tcp"}, AcceptedRemedies: []string{"ask-network"},
		HarmfulActions: []string{"hangup-call"},
		Evidence:       []string{"ice-failed-log", "no-relay-candidates", "stun-timeout"},
	}
}

// t0 is when the ticket opens.
func t0() time.Time { return time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC) }

func act(id string, sec int) Action {
	return Action{ID: id, At: t0().Add(time.Duration(sec) * time.Second)}
}

func turnAttempt(mod func(*Attempt)) Attempt {
	a := Attempt{UserID: "u1", AttemptNo: 1, ScenarioID: "turn", OpenedAt: t0(), SubmittedAt: t0().Add(150 * time.Second),
		RootCause: "udp-blocked", Evidence: []string{"ice-failed-log", "no-relay-candidates", "stun-timeout"},
		Actions: []Action{act("switch-turn-tcp", 60)}, Resolved: true, CustomerNote: true}
	if mod != nil {
		mod(&a)
	}
	return a
}

func TestGrade(t *testing.T) {
	tests := []struct {
		name     string
		attempt  Attempt
		points   [5]float64 // root cause, evidence, escalation, resolution, handle time
		codes    [5]string
		score    float64
		fcr      bool
		fatal    bool
		csat     int
		handle   time.Duration
		resolved string
	}{
		{
			// 35 + 15 + 10 + 25 + 15 = 100; CSAT fixed 4 + on time 0 + note 1 = 5.
			name: "perfect", attempt: turnAttempt(nil),
			points: [5]float64{35, 15, 10, 25, 15}, codes: [5]string{"correct", "all-cited", "kept", "resolved", "within-target"},
			score: 100, fcr: true, csat: 5, handle: 150 * time.Second, resolved: "switch-turn-tcp",
		},
		{
			// evidence 2 right, 1 wrong: 2 / (3 + 1) = 0.5 → 7.5; needless escalation 0;
			// 4m30s is 90 s over: 1 - 90/180 = 0.5 → 7.5; 35 + 7.5 + 0 + 25 + 7.5 = 75.
			// CSAT fixed 4, 4m30s <= 6 min → -1, no note → 3.
			name: "partial evidence, needless escalation, slow",
			attempt: turnAttempt(func(a *Attempt) {
				a.Evidence = []string{"ice-failed-log", "no-relay-candidates", "screenshot", "ice-failed-log"}
				a.Escalated, a.CustomerNote = true, false
				a.SubmittedAt = t0().Add(270 * time.Second)
			}),
			points: [5]float64{35, 7.5, 0, 25, 7.5}, codes: [5]string{"correct", "partial", "needless-escalation", "resolved", "over-target"},
			score: 75, fcr: true, csat: 3, handle: 270 * time.Second, resolved: "switch-turn-tcp",
		},
		{
			// wrong root cause: 0; evidence 15; escalation 10; fixed but diagnosis
			// wrong: resolution 0; speed earns nothing: 0. 25 / 100 = 25.
			// CSAT: the customer sees a fix: 4 + 0 + 0 = 4.
			name: "lucky fix with the wrong diagnosis",
			attempt: turnAttempt(func(a *Attempt) {
				a.RootCause, a.CustomerNote = "codec-mismatch", false
				a.SubmittedAt = t0().Add(120 * time.Second)
			}),
			points: [5]float64{0, 15, 10, 0, 0}, codes: [5]string{"wrong", "all-cited", "kept", "fixed-wrong-diagnosis", "diagnosis-wrong"},
			score: 25, csat: 4, handle: 120 * time.Second, resolved: "switch-turn-tcp",
		},
		{
			// a harmful action zeroes every criterion; CSAT 1.
			name: "harmful action is fatal",
			attempt: turnAttempt(func(a *Attempt) {
				a.Actions = append(a.Actions, act("hangup-call", 30))
			}),
			codes: [5]string{"correct", "all-cited", "kept", "resolved", "within-target"},
			score: 0, fcr: true, fatal: true, csat: 1, handle: 150 * time.Second, resolved: "switch-turn-tcp",
		},
		{
			// engine resolved but no resolving remedy taken (the fault healed on
			// its own): not the trainee's fix. No evidence: 0 / 3. 7 min is 240 s
			// over, past the 180 s decline: 0. 35 + 0 + 10 + 0 + 0 = 45.
			// CSAT: not fixed 2, 7 min > 6 min → -2, note +1 → 1.
			name: "self-healed, no evidence, too slow",
			attempt: turnAttempt(func(a *Attempt) {
				a.Evidence = nil
				a.Actions = []Action{act("ask-network", 20)}
				a.SubmittedAt = t0().Add(7 * time.Minute)
			}),
			points: [5]float64{35, 0, 10, 0, 0}, codes: [5]string{"correct", "none-right", "kept", "not-resolved", "too-slow"},
			score: 45, csat: 1, handle: 7 * time.Minute,
		},
		{
			// 2 min opened-submitted + 90 s wrap-up = 210 s, 30 s over:
			// 1 - 30/180 = 5/6 → 12.5; not resolved; no root cause given.
			// 0 + 15 + 10 + 0 + 0 (diagnosis wrong) = 25. CSAT 2 - 1 + 1 = 2.
			name: "no diagnosis, wrap-up logged apart",
			attempt: turnAttempt(func(a *Attempt) {
				a.RootCause, a.Resolved = "", false
				a.SubmittedAt, a.WrapUp = t0().Add(2*time.Minute), 90*time.Second
			}),
			points: [5]float64{0, 15, 10, 0, 0}, codes: [5]string{"missing", "all-cited", "kept", "not-resolved", "diagnosis-wrong"},
			score: 25, csat: 2, handle: 210 * time.Second, resolved: "switch-turn-tcp",
		},
	}
	g, err := NewGrader(WithScenarios(turnKey()))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := g.Grade(tt.attempt)
			require.NoError(t, err)
			b := r.Breakdown
			require.Len(t, b.Criteria, 5)
			for i, c := range b.Criteria {
				assert.InDelta(t, tt.points[i], c.Points, 1e-9, c.Explain())
				assert.Equal(t, tt.codes[i], c.Code, c.Name)
			}
			assert.InDelta(t, tt.score, b.Score, 1e-9)
			assert.Equal(t, 100.0, b.MaxPoints)
			assert.Equal(t, tt.fcr, b.FirstContactResolved)
			assert.Equal(t, tt.fatal, b.Fatal)
			assert.Equal(t, tt.csat, b.CSAT.Rating)
			assert.Equal(t, tt.handle, b.HandleTime)
			assert.Equal(t, tt.resolved, b.ResolvedBy)
			assert.Equal(t, "network", r.FaultClass)
			assert.Equal(t, SourceDefault, b.Source)
		})
	}
}

func TestGradeActionLists(t *testing.T) {
	g, err := NewGrader(WithScenarios(turnKey()))
	require.NoError(t, err)
	r, err := g.Grade(turnAttempt(func(a *Attempt) {
		a.Actions = []Action{act("restart-browser", 10), act("switch-turn-tcp", 90), act("ask-network", 20),
			act("switch-turn-tcp", 40), act("restart-browser", 50), act("hangup-call", 100)}
	}))
	require.NoError(t, err)
	b := r.Breakdown
	assert.Equal(t, []string{"restart-browser"}, b.OtherActions)
	assert.Equal(t, []string{"ask-network"}, b.AcceptedActions)
	assert.Equal(t, []string{"hangup-call"}, b.HarmfulActions)
	assert.Equal(t, "switch-turn-tcp", b.ResolvedBy)
	assert.Equal(t, 40*time.Second, b.ResolvedAfter, "the earliest resolving action counts")
	assert.Equal(t, 0.0, b.Points)
	assert.Equal(t, []string{"hangup-call"}, b.HarmfulActions)
}

func TestHandleTimeCredit(t *testing.T) {
	tests := []struct {
		name   string
		target time.Duration
		handle time.Duration
		credit float64
	}{
		{"at target", 0, 3 * time.Minute, 1},
		{"one second over", 0, 3*time.Minute + time.Second, 1 - 1.0/180}, // 1 - 1/180
		{"halfway", 0, 270 * time.Second, 0.5},                           // 1 - 90/180
		{"at target + decline", 0, 6 * time.Minute, 0},
		{"scenario target 5 min", 5 * time.Minute, 330 * time.Second, 1 - 30.0/180}, // 0.8333
		{"instant", 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := turnKey()
			key.ExpectedHandleTime = tt.target
			g, err := NewGrader(WithScenarios(key))
			require.NoError(t, err)
			r, err := g.Grade(turnAttempt(func(a *Attempt) { a.SubmittedAt = t0().Add(tt.handle) }))
			require.NoError(t, err)
			c := r.Breakdown.Criteria[4]
			assert.Equal(t, CritHandleTime, c.Name)
			assert.InDelta(t, tt.credit, c.Credit, 1e-12)
			assert.InDelta(t, 15*tt.credit, c.Points, 1e-9)
		})
	}
}

func TestEvidenceCredit(t *testing.T) {
	tests := []struct {
		name     string
		expected []string
		cited    []string
		credit   float64
		code     string
	}{
		{"nothing expected, nothing cited", nil, nil, 1, "none-expected"},
		{"nothing expected, one cited", nil, []string{"x"}, 0, "none-right"},                       // 0 / (0 + 1)
		{"cite everything on offer", []string{"a"}, []string{"a", "b", "c", "d"}, 0.25, "partial"}, // 1 / (1 + 3)
		{"one of two", []string{"a", "b"}, []string{"b"}, 0.5, "partial"},                          // 1 / (2 + 0)
		{"all", []string{"a", "b"}, []string{"b", "a"}, 1, "all-cited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeyDef(AnswerKey{ScenarioID: "s", RootCause: "r", Evidence: tt.expected})
			c := evidenceCriterion(10, Attempt{Evidence: tt.cited}, k)
			assert.InDelta(t, tt.credit, c.Credit, 1e-12)
			assert.Equal(t, tt.code, c.Code)
		})
	}
}

func TestWeightsPrecedence(t *testing.T) {
	// root cause right, evidence half (1 of 2), escalation wrong, not resolved.
	scenario := Weights{RootCause: 2, Evidence: 1, Escalation: 1}                              // (2 + 0.5 + 0) / 4 = 62.5
	exam := Weights{RootCause: 1, Evidence: 1, Escalation: 1}                                  // (1 + 0.5 + 0) / 3 = 50
	item := Weights{RootCause: 1, Escalation: 1, Resolution: 2}                                // (1 + 0 + 0) / 4 = 25
	deflt := Weights{RootCause: 10, Evidence: 10, Escalation: 0, Resolution: 0, HandleTime: 0} // 15/20 = 75
	key := func(w *Weights) AnswerKey {
		return AnswerKey{ScenarioID: "s", RootCause: "r", Evidence: []string{"e1", "e2"}, EscalationExpected: true, Weights: w}
	}
	tests := []struct {
		name   string
		key    AnswerKey
		exam   Exam
		source WeightsSource
		score  float64
	}{
		{"default", key(nil), Exam{ID: "x", PassMark: 50, Items: []ExamItem{{ScenarioID: "s"}}}, SourceDefault, 75},
		{"exam", key(nil), Exam{ID: "x", PassMark: 50, Weights: &exam, Items: []ExamItem{{ScenarioID: "s"}}}, SourceExam, 50},
		{"scenario beats exam", key(&scenario), Exam{ID: "x", PassMark: 50, Weights: &exam, Items: []ExamItem{{ScenarioID: "s"}}}, SourceScenario, 62.5},
		{"exam item beats all", key(&scenario), Exam{ID: "x", PassMark: 50, Weights: &exam, Items: []ExamItem{{ScenarioID: "s", Weights: &item}}}, SourceExamItem, 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := NewGrader(WithWeights(deflt), WithScenarios(tt.key), WithExams(tt.exam))
			require.NoError(t, err)
			a := Attempt{UserID: "u", ExamID: "x", AttemptNo: 1, ScenarioID: "s", OpenedAt: t0(), SubmittedAt: t0().Add(time.Minute),
				RootCause: "r", Evidence: []string{"e1"}}
			r, err := g.Grade(a)
			require.NoError(t, err)
			assert.Equal(t, tt.source, r.Breakdown.Source)
			assert.InDelta(t, tt.score, r.Breakdown.Score, 1e-9)
		})
	}
}
