package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func startTestAttempt(tb testing.TB, s *Store, userID uint, deadline *time.Time) Attempt {
	tb.Helper()
	a, err := s.StartAttempt(context.Background(), NewAttempt{
		UserID: userID, Mode: ModeExam, Deadline: deadline,
		Items: []NewAttemptItem{
			{ScenarioID: "wifi-rtt", VariantSeed: 42, ContentHash: "sha256:aa"},
			{ScenarioID: "turn-down", VariantSeed: -7, ContentHash: "sha256:bb"},
		},
	})
	require.NoError(tb, err)
	return a
}

func TestAttemptLifecycle(t *testing.T) {
	s, clock, path := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	deadline := clock.Now().Add(30 * time.Minute)
	a := startTestAttempt(t, s, u.ID, &deadline)
	require.Len(t, a.Items, 2)
	first, second := a.Items[0], a.Items[1]

	left, timed := a.Remaining(clock.Now().Add(10 * time.Minute))
	assert.True(t, timed)
	assert.Equal(t, 20*time.Minute, left)

	clock.Advance(time.Minute)
	opened, err := s.OpenItem(ctx, second.ID)
	require.NoError(t, err)
	require.NotNil(t, opened.OpenedAt)
	assert.True(t, clock.Now().Equal(*opened.OpenedAt))

	_, err = s.RecordAction(ctx, Action{AttemptItemID: second.ID, OffsetMS: 12_000, Kind: ActionTool, Name: "ping"})
	require.NoError(t, err)
	_, err = s.RecordAction(ctx, Action{AttemptItemID: second.ID, OffsetMS: 15_500, Kind: ActionRemedy, Name: "switch-to-turn", Outcome: `{"ok":true}`})
	require.NoError(t, err)
	require.NoError(t, s.RecordOffset(ctx, second.ID, 14*time.Second), "an older offset is ignored")
	_, err = s.SaveAnswer(ctx, Answer{AttemptItemID: second.ID, RootCause: "udp-blocked"})
	require.NoError(t, err)
	saved, err := s.SaveAnswer(ctx, Answer{AttemptItemID: second.ID, RootCause: "udp-blocked", Evidence: []string{"ice failed"}, Escalate: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"ice failed"}, saved.Evidence)

	t.Run("everything survives a reopen", func(t *testing.T) {
		s2, err := Open(ctx, path, WithClock(clock.Now))
		require.NoError(t, err)
		defer s2.Close()
		active, err := s2.ActiveAttempts(ctx)
		require.NoError(t, err)
		require.Len(t, active, 1)
		got := active[0]
		assert.Equal(t, 1, got.CurrentItem)
		require.NotNil(t, got.Deadline)
		assert.True(t, deadline.Equal(*got.Deadline))
		require.Len(t, got.Items, 2)
		assert.Equal(t, int64(-7), got.Items[1].VariantSeed)
		assert.Equal(t, "sha256:bb", got.Items[1].ContentHash)
		assert.Equal(t, 15500*time.Millisecond, got.Items[1].TimelineOffset())
		acts, err := s2.Actions(ctx, second.ID)
		require.NoError(t, err)
		require.Len(t, acts, 2)
		assert.Equal(t, []string{"ping", "switch-to-turn"}, []string{acts[0].Name, acts[1].Name})
		assert.Equal(t, 12*time.Second, acts[0].Offset())
		ans, err := s2.Answer(ctx, second.ID)
		require.NoError(t, err)
		assert.True(t, ans.Escalate)
		assert.Equal(t, []string{"ice failed"}, ans.Evidence)
	})

	require.NoError(t, s.SubmitItem(ctx, second.ID, ptr(0.75), `{"total":0.75}`))
	assert.ErrorIs(t, s.SubmitItem(ctx, second.ID, nil, ""), ErrConflict, "submitted once")
	_, err = s.SaveAnswer(ctx, Answer{AttemptItemID: second.ID, RootCause: "late change"})
	assert.ErrorIs(t, err, ErrConflict)
	_, err = s.RecordAction(ctx, Action{AttemptItemID: first.ID, Kind: ActionTool, Name: "ping"})
	require.NoError(t, err, "the other item is still open")

	done, err := s.FinishAttempt(ctx, a.ID, StatusSubmitted, ptr(0.5))
	require.NoError(t, err)
	assert.Equal(t, StatusSubmitted, done.Status)
	require.NotNil(t, done.Score)
	_, err = s.FinishAttempt(ctx, a.ID, StatusExpired, nil)
	assert.ErrorIs(t, err, ErrConflict)
	_, err = s.RecordAction(ctx, Action{AttemptItemID: first.ID, Kind: ActionTool, Name: "ping"})
	assert.ErrorIs(t, err, ErrConflict, "finished attempts take no more actions")
	active, err := s.ActiveAttempts(ctx)
	require.NoError(t, err)
	assert.Empty(t, active)
	mine, err := s.UserAttempts(ctx, u.ID)
	require.NoError(t, err)
	assert.Len(t, mine, 1)
}

func TestAttemptErrors(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	a := startTestAttempt(t, s, u.ID, nil)
	_, timed := a.Remaining(time.Now())
	assert.False(t, timed)

	tests := []struct {
		name string
		err  error
		want error
	}{
		{"no items", func() error {
			_, err := s.StartAttempt(ctx, NewAttempt{UserID: u.ID, Mode: ModeExam})
			return err
		}(), ErrInvalid},
		{"bad mode", func() error {
			_, err := s.StartAttempt(ctx, NewAttempt{UserID: u.ID, Mode: "x", Items: []NewAttemptItem{{ScenarioID: "a"}}})
			return err
		}(), ErrInvalid},
		{"unknown attempt", func() error { _, err := s.Attempt(ctx, 999); return err }(), ErrNotFound},
		{"unknown item", func() error { _, err := s.OpenItem(ctx, 999); return err }(), ErrNotFound},
		{"bad action kind", func() error {
			_, err := s.RecordAction(ctx, Action{AttemptItemID: a.Items[0].ID, Kind: "poke", Name: "x"})
			return err
		}(), ErrInvalid},
		{"unnamed action", func() error {
			_, err := s.RecordAction(ctx, Action{AttemptItemID: a.Items[0].ID, Kind: ActionTool})
			return err
		}(), ErrInvalid},
		{"no answer yet", func() error { _, err := s.Answer(ctx, a.Items[0].ID); return err }(), ErrNotFound},
		{"finish as in progress", func() error { _, err := s.FinishAttempt(ctx, a.ID, StatusInProgress, nil); return err }(), ErrInvalid},
		{"finish unknown", func() error { _, err := s.FinishAttempt(ctx, 999, StatusSubmitted, nil); return err }(), ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.err, tt.want)
		})
	}
}

// TestConcurrentWritesWait checks that WAL plus busy_timeout queue writers
// from many goroutines instead of failing with "database is locked".
func TestConcurrentWritesWait(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	a := startTestAttempt(t, s, u.ID, nil)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				_, err := s.RecordAction(ctx, Action{
					AttemptItemID: a.Items[w%2].ID, OffsetMS: int64(i), Kind: ActionTool, Name: fmt.Sprintf("w%d-%d", w, i),
				})
				errs <- err
				if _, err := s.Attempt(ctx, a.ID); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	total := 0
	for _, it := range a.Items {
		acts, err := s.Actions(ctx, it.ID)
		require.NoError(t, err)
		total += len(acts)
	}
	assert.Equal(t, workers*each, total)
}
