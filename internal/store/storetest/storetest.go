// Package storetest gives each test a database of its own on the engine the
// environment chooses, so that the store's and the web layer's suites run
// unchanged on SQLite and on PostgreSQL:
//
//   - RTCDRILL_TEST_DB unset or "sqlite": an SQLite file in the test's
//     temporary directory;
//   - RTCDRILL_TEST_DB=postgres: a database created for the test on the
//     server RTCDRILL_TEST_POSTGRES names (a DSN; by default the local
//     socket as the OS user, DefaultPostgres) and dropped when it ends.
//
// It does not import the store, so the store's own tests can use it.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The environment variables that choose the backend.
const (
	EnvBackend  = "RTCDRILL_TEST_DB"
	EnvPostgres = "RTCDRILL_TEST_POSTGRES"
)

// DefaultPostgres is the server used when EnvPostgres is unset: the local
// socket, signed in as the OS user (root on CI, a superuser there).
const DefaultPostgres = "host=/var/run/postgresql dbname=postgres"

// The backends EnvBackend names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Backend reports the engine the environment chose, failing tb on a value
// it does not know rather than silently testing SQLite.
func Backend(tb testing.TB) string {
	tb.Helper()
	switch v := strings.ToLower(strings.TrimSpace(os.Getenv(EnvBackend))); v {
	case "", SQLite:
		return SQLite
	case Postgres:
		return Postgres
	default:
		tb.Fatalf("%s=%q: want %q or %q", EnvBackend, v, SQLite, Postgres)
		return ""
	}
}

// NewDatabase returns the DSN of an empty database for tb alone, on the
// chosen backend: an SQLite path, or the server's DSN pointed at a new
// database that is dropped (connections and all) when tb ends.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	if Backend(tb) == SQLite {
		return filepath.Join(tb.TempDir(), "rtcdrill.db")
	}
	server := os.Getenv(EnvPostgres)
	if server == "" {
		server = DefaultPostgres
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("database name: %v", err)
	}
	name := "rtcdrill_test_" + hex.EncodeToString(b)
	dsn, err := WithDatabase(server, name)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgres, err)
	}
	ident := pgx.Identifier{name}.Sanitize()
	if err := admin(server, "CREATE DATABASE "+ident); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := admin(server, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
	})
	return dsn
}

// admin runs one statement on the server's maintenance database.
func admin(server, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// WithDatabase returns a PostgreSQL DSN, URL or key=value, pointed at
// another database on the same server.
func WithDatabase(dsn, name string) (string, error) {
	trimmed := strings.TrimSpace(dsn)
	lower := strings.ToLower(trimmed)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		u, err := url.Parse(trimmed)
		if err != nil {
			// url's message would quote the password.
			return "", errors.New("DSN is not a valid URL")
		}
		u.Path, u.RawPath = "/"+name, ""
		return u.String(), nil
	}
	if !strings.HasPrefix(lower, "host=") {
		return "", errors.New("DSN is neither a postgres:// URL nor key=value starting with host=")
	}
	kept := []string{}
	for _, f := range strings.Fields(trimmed) {
		if !strings.HasPrefix(strings.ToLower(f), "dbname=") {
			kept = append(kept, f)
		}
	}
	return strings.Join(append(kept, "dbname="+name), " "), nil
}
