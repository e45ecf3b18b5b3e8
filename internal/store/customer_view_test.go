package store

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCustomerViewStats(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	a := startTestAttempt(t, s, u.ID, nil)
	first, second := a.Items[0], a.Items[1]

	video := CustomerViewStat{Kind: MediaVideo, PacketsLost: 150, PacketsReceived: 1350, Jitter: 0.004,
		FramesPerSecond: 29, FramesDropped: 12, FreezeCount: 2, TotalFreezesDuration: 0.8,
		FrameWidth: 1280, FrameHeight: 720, NackCount: 140}
	audio := CustomerViewStat{Kind: MediaAudio, PacketsLost: 30, PacketsReceived: 270, Jitter: 0.002,
		ConcealedSamples: 28_800, TotalSamplesReceived: 288_000}
	require.NoError(t, s.RecordCustomerView(ctx, second.ID, video, audio))
	clock.Advance(time.Second)
	later := video
	later.PacketsReceived = 1500
	require.NoError(t, s.RecordCustomerView(ctx, second.ID, later))

	got, err := s.CustomerView(ctx, second.ID)
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, second.ID, got[0].AttemptItemID)
	assert.Equal(t, MediaVideo, got[0].Kind)
	assert.Equal(t, int64(150), got[0].PacketsLost)
	assert.Equal(t, 1280, got[0].FrameWidth)
	assert.InDelta(t, 0.8, got[0].TotalFreezesDuration, 1e-9)
	assert.Equal(t, MediaAudio, got[1].Kind)
	assert.Equal(t, uint64(28_800), got[1].ConcealedSamples)
	assert.Equal(t, uint64(1500), got[2].PacketsReceived)
	assert.True(t, got[2].At.After(got[0].At), "At defaults to the store's clock")

	other, err := s.CustomerView(ctx, first.ID)
	require.NoError(t, err)
	assert.Empty(t, other, "reports stay with their item")

	t.Run("refusals", func(t *testing.T) {
		tests := []struct {
			name   string
			itemID uint
			stat   CustomerViewStat
			want   error
		}{
			{"unknown kind", second.ID, CustomerViewStat{Kind: "screen"}, ErrInvalid},
			{"negative jitter", second.ID, CustomerViewStat{Kind: MediaVideo, Jitter: -1}, ErrInvalid},
			{"NaN fps", second.ID, CustomerViewStat{Kind: MediaVideo, FramesPerSecond: math.NaN()}, ErrInvalid},
			{"negative width", second.ID, CustomerViewStat{Kind: MediaVideo, FrameWidth: -2}, ErrInvalid},
			{"counter beyond SQLite", second.ID, CustomerViewStat{Kind: MediaAudio, ConcealedSamples: math.MaxUint64}, ErrInvalid},
			{"missing item", 9999, audio, ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				assert.ErrorIs(t, s.RecordCustomerView(ctx, tt.itemID, tt.stat), tt.want)
			})
		}
	})

	t.Run("closed items take no more reports", func(t *testing.T) {
		require.NoError(t, s.SubmitItem(ctx, second.ID, ptr(0.5), "{}"))
		assert.ErrorIs(t, s.RecordCustomerView(ctx, second.ID, audio), ErrConflict)
		kept, err := s.CustomerView(ctx, second.ID)
		require.NoError(t, err)
		assert.Len(t, kept, 3, "what was reported before stays")
	})
}
