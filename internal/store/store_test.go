package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenConfiguresSQLite(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "rtcdrill.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		t.Run(tt.pragma, func(t *testing.T) {
			var got string
			require.NoError(t, s.db.WithContext(ctx).Raw("PRAGMA "+tt.pragma).Scan(&got).Error)
			assert.Equal(t, tt.want, got)
		})
	}
	require.NoError(t, s.Ping(ctx))
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	steps := migrations()
	latest := steps[len(steps)-1].version

	t.Run("versions strictly increase", func(t *testing.T) {
		for i := 1; i < len(steps); i++ {
			assert.Greater(t, steps[i].version, steps[i-1].version)
		}
	})
	t.Run("reopening keeps data and version", func(t *testing.T) {
		s, clock, path := openTestStore(t)
		mustUser(t, s, "ana", RoleTrainee)
		require.NoError(t, s.Close())
		s2, err := Open(ctx, path, WithClock(clock.Now))
		require.NoError(t, err)
		defer s2.Close()
		v, err := s2.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, latest, v)
		u, err := s2.UserByUsername(ctx, "ana")
		require.NoError(t, err)
		assert.Equal(t, RoleTrainee, u.Role)
	})
	t.Run("refuses a newer schema", func(t *testing.T) {
		s, _, path := openTestStore(t)
		require.NoError(t, s.db.Exec("INSERT INTO schema_migrations VALUES (?, 'future', CURRENT_TIMESTAMP)", latest+1).Error)
		_, err := Open(ctx, path)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "newer")
	})
	t.Run("bad path", func(t *testing.T) {
		_, err := Open(ctx, filepath.Join(t.TempDir(), "missing-dir", "x.db"))
		assert.Error(t, err)
	})
}

func TestCloseIsIdempotent(t *testing.T) {
	s, _, _ := openTestStore(t)
	require.NoError(t, s.Close())
	assert.NoError(t, s.Close())
	assert.Error(t, s.Ping(context.Background()))
}

func TestOptionsRejectBadValues(t *testing.T) {
	tests := map[string]Option{
		"nil clock":  WithClock(nil),
		"nil random": WithRandom(nil),
		"cost 1":     WithBcryptCost(1),
		"nil logger": WithLogger(nil),
		"cost 99":    WithBcryptCost(99),
	}
	for name, opt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), opt)
			assert.Error(t, err)
		})
	}
}
