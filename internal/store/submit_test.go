package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSubmitGraded(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	team, err := s.CreateTeam(ctx, "Night shift", "")
	require.NoError(t, err)
	u := mustUser(t, s, "ana", RoleTrainee)
	_, err = s.UpdateUser(ctx, u.ID, UserUpdate{DisplayName: "Ana", Role: RoleTrainee, TeamID: &team.ID})
	require.NoError(t, err)
	deadline := clock.Now().Add(time.Hour)
	a := startTestAttempt(t, s, u.ID, &deadline)
	first, second := a.Items[0], a.Items[1]
	rec := ResultRecord{UserID: u.ID, ScenarioID: "wifi-rtt", VariantSeed: 42, SubmittedAt: clock.Now(),
		HandleTime: 90 * time.Second, Score: 62.5, RootCause: "wifi", RootCauseCorrect: true, CSAT: 4}

	t.Run("an item never opened cannot be graded", func(t *testing.T) {
		_, err := s.SubmitGraded(ctx, first.ID, rec, "{}")
		require.ErrorIs(t, err, ErrInvalid)
	})
	_, err = s.OpenItem(ctx, first.ID)
	require.NoError(t, err)

	tests := []struct {
		name string
		edit func(*ResultRecord)
		want error
	}{
		{"another user's item", func(r *ResultRecord) { r.UserID = mustUser(t, s, "bob", RoleTrainee).ID }, ErrInvalid},
		{"another scenario", func(r *ResultRecord) { r.ScenarioID = "turn-down" }, ErrInvalid},
		{"a score out of range", func(r *ResultRecord) { r.Score = 101 }, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rec
			tt.edit(&r)
			_, err := s.SubmitGraded(ctx, first.ID, r, "{}")
			require.ErrorIs(t, err, tt.want)
			it, err := s.AttemptItem(ctx, a.ID, 0)
			require.NoError(t, err)
			assert.Nil(t, it.SubmittedAt, "a refused submission changes nothing")
		})
	}

	got, err := s.SubmitGraded(ctx, first.ID, rec, `{"breakdown":{}}`)
	require.NoError(t, err)
	assert.Equal(t, 1, got.AttemptNo)
	require.NotNil(t, got.TeamID)
	assert.Equal(t, team.ID, *got.TeamID, "the team at submission")
	require.NotNil(t, got.AttemptID)
	assert.Equal(t, a.ID, *got.AttemptID)
	it, err := s.AttemptItem(ctx, a.ID, 0)
	require.NoError(t, err)
	require.NotNil(t, it.SubmittedAt)
	require.NotNil(t, it.Score)
	assert.InDelta(t, 0.625, *it.Score, 1e-9, "the item keeps the score as a share")
	assert.Equal(t, `{"breakdown":{}}`, it.Report)
	stored, err := s.ItemResult(ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, stored.HandleTime)
	assert.InDelta(t, 62.5, stored.Score, 1e-9)
	_, err = s.ItemResult(ctx, second.ID)
	require.ErrorIs(t, err, ErrNotFound)

	t.Run("once only", func(t *testing.T) {
		_, err := s.SubmitGraded(ctx, first.ID, rec, "{}")
		require.ErrorIs(t, err, ErrConflict)
		rs, err := s.Results(ctx, ResultFilter{UserIDs: []uint{u.ID}})
		require.NoError(t, err)
		assert.Len(t, rs, 1)
	})
	t.Run("not after the attempt ends", func(t *testing.T) {
		_, err := s.OpenItem(ctx, second.ID)
		require.NoError(t, err)
		_, err = s.FinishAttempt(ctx, a.ID, StatusExpired, nil)
		require.NoError(t, err)
		r := rec
		r.ScenarioID = "turn-down"
		_, err = s.SubmitGraded(ctx, second.ID, r, "{}")
		require.ErrorIs(t, err, ErrConflict)
	})
}

func TestAttemptExpired(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Second), now.Add(time.Second)
	tests := []struct {
		name string
		a    Attempt
		want bool
	}{
		{"untimed", Attempt{Status: StatusInProgress}, false},
		{"in time", Attempt{Status: StatusInProgress, Deadline: &future}, false},
		{"at the deadline", Attempt{Status: StatusInProgress, Deadline: &now}, true},
		{"past it", Attempt{Status: StatusInProgress, Deadline: &past}, true},
		{"already submitted", Attempt{Status: StatusSubmitted, Deadline: &past}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.a.Expired(now)) })
	}
}
