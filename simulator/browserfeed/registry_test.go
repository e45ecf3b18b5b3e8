package browserfeed

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

func TestRegistry(t *testing.T) {
	reg := NewRegistry[uint]()
	first, second, other := newFeed(t), newFeed(t), newFeed(t)

	require.NoError(t, reg.Add(1, first))
	require.NoError(t, reg.Add(2, other))
	got, err := reg.Get(1)
	require.NoError(t, err)
	assert.Same(t, first, got)

	t.Run("push reaches the key's feed", func(t *testing.T) {
		require.NoError(t, reg.SetImpairment(1, impair.Config{Loss: 0.1}))
		assert.InDelta(t, 0.1, first.Impairment().Loss, 1e-12)
		assert.True(t, other.Impairment().IsZero(), "other keys untouched")
		require.NoError(t, reg.SetRendition(1, Rendition360p))
		assert.ErrorIs(t, reg.SetRendition(1, "4k"), ErrUnknown)
	})
	t.Run("unknown keys are not found", func(t *testing.T) {
		_, err := reg.Get(9)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorIs(t, reg.SetImpairment(9, impair.Config{}), ErrNotFound)
		assert.ErrorIs(t, reg.SetRendition(9, Rendition360p), ErrNotFound)
	})
	t.Run("a new feed replaces and closes the old", func(t *testing.T) {
		require.NoError(t, reg.Add(1, second))
		select {
		case <-first.Done():
		case <-time.After(deadline):
			t.Fatal("the replaced feed is still open")
		}
		got, err := reg.Get(1)
		require.NoError(t, err)
		assert.Same(t, second, got)
		reg.Remove(1, first)
		_, err = reg.Get(1)
		assert.NoError(t, err, "removing a replaced feed leaves its successor")
	})
	t.Run("a closed feed is forgotten", func(t *testing.T) {
		require.NoError(t, other.Close())
		assert.Equal(t, 2, reg.Len())
		_, err := reg.Get(2)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.Equal(t, 1, reg.Len())
	})
	t.Run("close closes all and refuses more", func(t *testing.T) {
		require.NoError(t, reg.Close())
		<-second.Done()
		assert.Zero(t, reg.Len())
		late, err := New(context.Background())
		require.NoError(t, err)
		assert.ErrorIs(t, reg.Add(3, late), ErrClosed)
		assert.NoError(t, late.Close())
		assert.NoError(t, reg.Close(), "idempotent")
	})
}
