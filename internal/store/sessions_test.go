package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessions(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)

	token, sess, err := s.CreateSession(ctx, u.ID, time.Hour)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(token), 43, "32 random bytes in base64")
	assert.NotEqual(t, token, sess.TokenHash, "only the hash is stored")

	got, _, err := s.SessionUser(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, u.ID, got.ID)

	_, _, err = s.SessionUser(ctx, token+"x")
	assert.ErrorIs(t, err, ErrNotFound)

	clock.Advance(time.Hour)
	_, _, err = s.SessionUser(ctx, token)
	assert.ErrorIs(t, err, ErrNotFound, "expired")

	other, _, err := s.CreateSession(ctx, u.ID, time.Hour)
	require.NoError(t, err)
	var n int64
	require.NoError(t, s.db.Model(&Session{}).Count(&n).Error)
	assert.EqualValues(t, 1, n, "creating a session purges expired ones")

	require.NoError(t, s.DeleteSession(ctx, other))
	require.NoError(t, s.DeleteSession(ctx, other), "signing out twice is fine")
	_, _, err = s.SessionUser(ctx, other)
	assert.ErrorIs(t, err, ErrNotFound)

	_, _, err = s.CreateSession(ctx, u.ID, 0)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestAPITokens(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	ana := mustUser(t, s, "ana", RoleTrainee)
	bo := mustUser(t, s, "bo", RoleTrainee)

	token, tok, err := s.CreateAPIToken(ctx, ana.ID, "agent", nil)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(token, tok.Prefix))
	short, _, err := s.CreateAPIToken(ctx, ana.ID, "short", ptr(clock.Now().Add(time.Minute)))
	require.NoError(t, err)

	u, used, err := s.APITokenUser(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, ana.ID, u.ID)
	require.NotNil(t, used.LastUsedAt)

	list, err := s.APITokens(ctx, ana.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "short", list[0].Name)

	clock.Advance(2 * time.Minute)
	_, _, err = s.APITokenUser(ctx, short)
	assert.ErrorIs(t, err, ErrNotFound, "expired")

	assert.ErrorIs(t, s.DeleteAPIToken(ctx, bo.ID, tok.ID), ErrNotFound, "not bo's token")
	require.NoError(t, s.DeleteAPIToken(ctx, ana.ID, tok.ID))
	_, _, err = s.APITokenUser(ctx, token)
	assert.ErrorIs(t, err, ErrNotFound, "revoked")
}
