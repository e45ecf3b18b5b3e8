package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

// TestServeDatabaseFlag checks that --db (or RTCDRILL_DB) chooses the
// database instead of rtcdrill.db in --data, on the backend the test
// environment names, and that a bad DSN fails without showing its password.
func TestServeDatabaseFlag(t *testing.T) {
	t.Run("flag", func(t *testing.T) {
		data, dsn := t.TempDir(), storetest.NewDatabase(t)
		_, out, stop := startServe(t, "--addr", "127.0.0.1:0", "--data", data, "--db", dsn)
		assert.Contains(t, out.String(), "one-time password")
		require.Equal(t, 0, stop())
		assert.NoFileExists(t, filepath.Join(data, "rtcdrill.db"), "--db replaces the file in --data")
		st, err := store.Open(context.Background(), dsn)
		require.NoError(t, err)
		defer st.Close()
		n, err := st.CountUsers(context.Background())
		require.NoError(t, err)
		assert.Equal(t, int64(1), n, "the first admin is in the --db database")
	})
	t.Run("env", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "elsewhere.db")
		t.Setenv("RTCDRILL_DB", path)
		_, _, stop := startServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
		require.Equal(t, 0, stop())
		_, err := os.Stat(path)
		assert.NoError(t, err, "RTCDRILL_DB names the SQLite file")
	})
	t.Run("unreachable PostgreSQL", func(t *testing.T) {
		var stderr bytes.Buffer
		code := dispatch(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(),
			"--db", "postgres://rtc:s3cret@127.0.0.1:1/rtcdrill?connect_timeout=5"}, &bytes.Buffer{}, &stderr)
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr.String(), "postgres://rtc:xxxxx@127.0.0.1:1/rtcdrill")
		assert.NotContains(t, stderr.String(), "s3cret")
	})
}
