package grading

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGradeRejects(t *testing.T) {
	g, err := NewGrader(WithScenarios(turnKey()), WithExams(Exam{ID: "x", PassMark: 50, Items: []ExamItem{{ScenarioID: "turn"}}}))
	require.NoError(t, err)
	tests := []struct {
		name     string
		mod      func(*Attempt)
		notFound bool
	}{
		{"unknown scenario", func(a *Attempt) { a.ScenarioID = "nope" }, true},
		{"unknown exam", func(a *Attempt) { a.ExamID = "nope" }, true},
		{"empty user", func(a *Attempt) { a.UserID = "" }, false},
		{"attempt 0", func(a *Attempt) { a.AttemptNo = 0 }, false},
		{"not submitted", func(a *Attempt) { a.SubmittedAt = time.Time{} }, false},
		{"submitted before opened", func(a *Attempt) { a.SubmittedAt = t0().Add(-time.Second) }, false},
		{"negative wrap-up", func(a *Attempt) { a.WrapUp = -time.Second }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := g.Grade(turnAttempt(tt.mod))
			require.Error(t, err)
			assert.Equal(t, tt.notFound, errors.Is(err, ErrNotFound), err.Error())
		})
	}
}

func TestNewGraderRejects(t *testing.T) {
	k := turnKey()
	tests := []struct {
		name string
		opts []Option
	}{
		{"negative weight", []Option{WithWeights(Weights{RootCause: -1, Evidence: 2})}},
		{"zero weights", []Option{WithWeights(Weights{})}},
		{"duplicate key", []Option{WithScenarios(k, k)}},
		{"key without root cause", []Option{WithScenarios(AnswerKey{ScenarioID: "s"})}},
		{"exam with unknown scenario", []Option{WithScenarios(k), WithExams(Exam{ID: "x", PassMark: 50, Items: []ExamItem{{ScenarioID: "nope"}}})}},
		{"exam pass mark 0", []Option{WithScenarios(k), WithExams(Exam{ID: "x", Items: []ExamItem{{ScenarioID: "turn"}}})}},
		{"exam without items", []Option{WithExams(Exam{ID: "x", PassMark: 50})}},
		{"targets out of range", []Option{WithTargets(Targets{FCR: 120, AHT: time.Minute, CSAT: 80})}},
		{"decline 0", []Option{WithHandleTimeDecline(0)}},
		{"bands inverted", []Option{WithClassBands(ClassBands{Strong: 50, Weak: 60, MinAttempts: 1})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewGrader(tt.opts...)
			assert.Error(t, err)
		})
	}
}
