package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTeams(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	a, err := s.CreateTeam(ctx, "Cohort A", "March intake")
	require.NoError(t, err)
	_, err = s.CreateTeam(ctx, "cohort a", "")
	assert.ErrorIs(t, err, ErrConflict)
	_, err = s.CreateTeam(ctx, " ", "")
	assert.ErrorIs(t, err, ErrInvalid)

	b, err := s.UpdateTeam(ctx, a.ID, "Cohort B", "renamed")
	require.NoError(t, err)
	assert.Equal(t, "Cohort B", b.Name)
	_, err = s.UpdateTeam(ctx, 999, "x", "")
	assert.ErrorIs(t, err, ErrNotFound)
	byName, err := s.TeamByName(ctx, "COHORT b")
	require.NoError(t, err)
	assert.Equal(t, a.ID, byName.ID)

	_, err = s.CreateUser(ctx, NewUser{Username: "ana", Role: RoleTrainee, Password: "x", TeamID: &a.ID})
	require.NoError(t, err)
	mustUser(t, s, "solo", RoleTrainee)
	sizes, err := s.TeamSizes(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[uint]int{a.ID: 1}, sizes)
	members, err := s.TeamMembers(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, members, 1)
	assert.Equal(t, "ana", members[0].Username)
}

func TestCreateExamValidation(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	now := clock.Now()
	good := Exam{Title: "Week 1", Mode: ModeExam, ScenarioIDs: []string{"wifi-rtt"}, ReviewPolicy: ReviewAfterSubmit, PassMark: 0.6}
	tests := []struct {
		name   string
		modify func(*Exam)
		ok     bool
	}{
		{"valid", func(*Exam) {}, true},
		{"tags only", func(e *Exam) { e.ScenarioIDs = nil; e.Tags = []string{"network"}; e.DrawCount = 2 }, true},
		{"no title", func(e *Exam) { e.Title = " " }, false},
		{"bad mode", func(e *Exam) { e.Mode = "quiz" }, false},
		{"bad policy", func(e *Exam) { e.ReviewPolicy = "sometimes" }, false},
		{"nothing to draw", func(e *Exam) { e.ScenarioIDs = nil }, false},
		{"negative limit", func(e *Exam) { e.TimeLimitSeconds = -1 }, false},
		{"closes before opening", func(e *Exam) { e.OpensAt = ptr(now); e.ClosesAt = ptr(now.Add(-time.Hour)) }, false},
		{"after close without a close", func(e *Exam) { e.ReviewPolicy = ReviewAfterClose }, false},
		{"after close with a close", func(e *Exam) { e.ReviewPolicy = ReviewAfterClose; e.ClosesAt = ptr(now.Add(time.Hour)) }, true},
		{"pass mark over 100%", func(e *Exam) { e.PassMark = 1.5 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := good
			tt.modify(&e)
			got, err := s.CreateExam(ctx, e, Assignees{})
			if !tt.ok {
				assert.ErrorIs(t, err, ErrInvalid)
				return
			}
			require.NoError(t, err)
			back, err := s.Exam(ctx, got.ID)
			require.NoError(t, err)
			assert.Equal(t, e.Title, back.Title)
			assert.Equal(t, got.ScenarioIDs, back.ScenarioIDs)
			assert.Equal(t, got.Tags, back.Tags)
			assert.InDelta(t, e.PassMark, back.PassMark, 1e-9)
		})
	}
}

func TestExamAssignment(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	team, err := s.CreateTeam(ctx, "Cohort A", "")
	require.NoError(t, err)
	inTeam, err := s.CreateUser(ctx, NewUser{Username: "ana", Role: RoleTrainee, Password: "x", TeamID: &team.ID})
	require.NoError(t, err)
	direct := mustUser(t, s, "bo", RoleTrainee)
	outsider := mustUser(t, s, "cy", RoleTrainee)

	opens := clock.Now().Add(24 * time.Hour)
	e, err := s.CreateExam(ctx, Exam{
		Title: "Week 1", Mode: ModeExam, ScenarioIDs: []string{"a", "b"}, ReviewPolicy: ReviewNever,
		TimeLimitSeconds: 600, OpensAt: &opens,
	}, Assignees{UserIDs: []uint{direct.ID, direct.ID}, TeamIDs: []uint{team.ID}})
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, e.TimeLimit())

	who, err := s.ExamAssignees(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, []uint{direct.ID}, who.UserIDs, "duplicates collapse")
	assert.Equal(t, []uint{team.ID}, who.TeamIDs)
	_, err = s.ExamAssignees(ctx, 999)
	assert.ErrorIs(t, err, ErrNotFound)

	tests := []struct {
		name string
		user User
		want int
	}{
		{"through team", inTeam, 1},
		{"directly", direct, 1},
		{"not assigned", outsider, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.AssignedExams(ctx, tt.user.ID)
			require.NoError(t, err)
			assert.Len(t, got, tt.want)
		})
	}

	t.Run("extra time", func(t *testing.T) {
		d, err := s.ExtraTime(ctx, e.ID, direct.ID)
		require.NoError(t, err)
		assert.Zero(t, d)
		require.NoError(t, s.SetExtraTime(ctx, e.ID, direct.ID, 5*time.Minute))
		require.NoError(t, s.SetExtraTime(ctx, e.ID, direct.ID, 7*time.Minute))
		d, err = s.ExtraTime(ctx, e.ID, direct.ID)
		require.NoError(t, err)
		assert.Equal(t, 7*time.Minute, d, "a new grant replaces the old")
		require.NoError(t, s.SetExtraTime(ctx, e.ID, direct.ID, 0))
		d, err = s.ExtraTime(ctx, e.ID, direct.ID)
		require.NoError(t, err)
		assert.Zero(t, d)
		assert.ErrorIs(t, s.SetExtraTime(ctx, e.ID, direct.ID, -time.Second), ErrInvalid)
		assert.ErrorIs(t, s.SetExtraTime(ctx, 999, direct.ID, time.Minute), ErrInvalid, "unknown exam")
	})
}

func TestExamWindowsAndReview(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	opens, closes := t0, t0.Add(time.Hour)
	exam := func(mode Mode, p ReviewPolicy) Exam {
		return Exam{Mode: mode, ReviewPolicy: p, OpensAt: &opens, ClosesAt: &closes}
	}
	during, after := t0.Add(time.Minute), closes.Add(time.Minute)
	tests := []struct {
		name                  string
		exam                  Exam
		at                    time.Time
		itemDone, attemptDone bool
		open, review          bool
	}{
		{"before opening", exam(ModeExam, ReviewAfterEach), t0.Add(-time.Second), false, false, false, false},
		{"nothing before the item is submitted", exam(ModeExam, ReviewAfterEach), during, false, false, true, false},
		{"after each: item submitted", exam(ModeExam, ReviewAfterEach), during, true, false, true, true},
		{"after submit: item only", exam(ModeExam, ReviewAfterSubmit), during, true, false, true, false},
		{"after submit: attempt submitted", exam(ModeExam, ReviewAfterSubmit), during, true, true, true, true},
		{"after close: still open", exam(ModeExam, ReviewAfterClose), during, true, true, true, false},
		{"after close: closed", exam(ModeExam, ReviewAfterClose), closes, true, true, false, true},
		{"never", exam(ModeExam, ReviewNever), after, true, true, false, false},
		{"practice reviews each item", exam(ModePractice, ReviewNever), during, true, false, true, true},
		{"practice, item not submitted", exam(ModePractice, ReviewNever), during, false, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.open, tt.exam.IsOpen(tt.at))
			assert.Equal(t, tt.review, tt.exam.ReviewVisible(tt.at, tt.itemDone, tt.attemptDone))
		})
	}
}
