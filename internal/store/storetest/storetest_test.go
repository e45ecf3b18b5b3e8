package storetest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithDatabase(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"host=/var/run/postgresql dbname=postgres", "host=/var/run/postgresql dbname=t1"},
		{"host=db user=rtc", "host=db user=rtc dbname=t1"},
		{"host=db DBNAME=x sslmode=disable", "host=db sslmode=disable dbname=t1"},
		{"postgres://rtc:pw@127.0.0.1:5432/postgres?sslmode=disable", "postgres://rtc:pw@127.0.0.1:5432/t1?sslmode=disable"},
		{"postgresql://127.0.0.1", "postgresql://127.0.0.1/t1"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			got, err := WithDatabase(tt.dsn, "t1")
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	for _, bad := range []string{"data/rtcdrill.db", "postgres://rtc:s3cret@db/%zz"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			_, err := WithDatabase(bad, "t1")
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}

// TestNewDatabase checks that each call gives a database of its own on the
// chosen backend, and that a PostgreSQL one is gone once its test ends.
func TestNewDatabase(t *testing.T) {
	var first string
	t.Run("create", func(t *testing.T) {
		first = NewDatabase(t)
		second := NewDatabase(t)
		assert.NotEqual(t, first, second)
		if Backend(t) == SQLite {
			assert.True(t, strings.HasSuffix(first, "rtcdrill.db"), first)
			return
		}
		conn, err := pgx.Connect(context.Background(), first)
		require.NoError(t, err)
		defer conn.Close(context.Background())
		var name string
		require.NoError(t, conn.QueryRow(context.Background(), "SELECT current_database()").Scan(&name))
		assert.True(t, strings.HasPrefix(name, "rtcdrill_test_"), name)
	})
	if Backend(t) == SQLite {
		_, err := os.Stat(first)
		assert.True(t, os.IsNotExist(err), "the temporary directory went with its test")
		return
	}
	_, err := pgx.Connect(context.Background(), first)
	assert.ErrorContains(t, err, "does not exist", "dropped in the test's cleanup")
}
