package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUpdateExam(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	ana, bob := mustUser(t, s, "ana", RoleTrainee), mustUser(t, s, "bob", RoleTrainee)
	team, err := s.CreateTeam(ctx, "Cohort A", "")
	require.NoError(t, err)
	opens := clock.Now().Add(time.Hour)
	e, err := s.CreateExam(ctx, Exam{Title: "Week 1", Mode: ModeExam, Tags: []string{"network"}, DrawCount: 2,
		ReviewPolicy: ReviewAfterSubmit, PassMark: 0.6, OpensAt: &opens}, Assignees{UserIDs: []uint{ana.ID}})
	require.NoError(t, err)

	clock.Advance(time.Minute)
	e.Title, e.Mode, e.Tags, e.ScenarioIDs, e.DrawCount = "Week 1 (rev)", ModePractice, nil, []string{"wifi-rtt"}, 1
	e.OpensAt, e.TimeLimitSeconds, e.PassMark = nil, 900, 0.75
	got, err := s.UpdateExam(ctx, e, Assignees{UserIDs: []uint{bob.ID}, TeamIDs: []uint{team.ID}})
	require.NoError(t, err)
	assert.Equal(t, "Week 1 (rev)", got.Title)
	assert.Equal(t, ModePractice, got.Mode)
	assert.Equal(t, []string{}, got.Tags, "cleared, not kept")
	assert.Equal(t, []string{"wifi-rtt"}, got.ScenarioIDs)
	assert.Nil(t, got.OpensAt, "a cleared date is cleared")
	assert.Equal(t, 900, got.TimeLimitSeconds)
	assert.InDelta(t, 0.75, got.PassMark, 1e-9)
	assert.Equal(t, e.CreatedAt, got.CreatedAt)
	assert.Equal(t, clock.Now(), got.UpdatedAt)
	who, err := s.ExamAssignees(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, Assignees{UserIDs: []uint{bob.ID}, TeamIDs: []uint{team.ID}}, who, "assignees replaced")

	tests := []struct {
		name   string
		modify func(*Exam)
		want   error
	}{
		{"unknown exam", func(x *Exam) { x.ID = 999 }, ErrNotFound},
		{"invalid", func(x *Exam) { x.Title = "" }, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := got
			tt.modify(&x)
			_, err := s.UpdateExam(ctx, x, Assignees{})
			assert.ErrorIs(t, err, tt.want)
		})
	}
	t.Run("unknown assignee rolls back", func(t *testing.T) {
		x := got
		x.Title = "never saved"
		_, err := s.UpdateExam(ctx, x, Assignees{UserIDs: []uint{999}})
		require.Error(t, err)
		back, err := s.Exam(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, "Week 1 (rev)", back.Title)
	})
}

func TestReplaceExtraTimes(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	ana, bob := mustUser(t, s, "ana", RoleTrainee), mustUser(t, s, "bob", RoleTrainee)
	e := mustExam(t, s, "Week 1")
	require.NoError(t, s.SetExtraTime(ctx, e.ID, ana.ID, 5*time.Minute))
	require.NoError(t, s.ReplaceExtraTimes(ctx, e.ID, map[uint]time.Duration{bob.ID: 10 * time.Minute}))
	got, err := s.ExamExtensions(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, map[uint]time.Duration{bob.ID: 10 * time.Minute}, got, "ana's grant was dropped")
	extra, err := s.ExtraTime(ctx, e.ID, bob.ID)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, extra)

	assert.ErrorIs(t, s.ReplaceExtraTimes(ctx, e.ID, map[uint]time.Duration{ana.ID: 0}), ErrInvalid)
	assert.Error(t, s.ReplaceExtraTimes(ctx, e.ID, map[uint]time.Duration{ana.ID: time.Minute, 999: time.Minute}))
	got, err = s.ExamExtensions(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, map[uint]time.Duration{bob.ID: 10 * time.Minute}, got, "a failed replace changes nothing")
	require.NoError(t, s.ReplaceExtraTimes(ctx, e.ID, nil))
	got, err = s.ExamExtensions(ctx, e.ID)
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = s.ExamExtensions(ctx, 999)
	assert.ErrorIs(t, err, ErrNotFound)
}
