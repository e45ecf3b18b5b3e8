package store

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// dialect names the database engine behind a Store. The few statements the
// two engines spell differently branch on it in this file and in the
// schema's migrations, nowhere else.
type dialect string

// The engines a Store runs on.
const (
	dialectSQLite   dialect = "sqlite"
	dialectPostgres dialect = "postgres"
)

// dialectOf tells which engine a DSN names: a postgres:// or postgresql://
// URL, or a libpq key=value string starting with host=, is PostgreSQL;
// anything else is the path of an SQLite file.
func dialectOf(dsn string) dialect {
	lower := strings.ToLower(strings.TrimSpace(dsn))
	for _, prefix := range []string{"postgres://", "postgresql://", "host="} {
		if strings.HasPrefix(lower, prefix) {
			return dialectPostgres
		}
	}
	return dialectSQLite
}

// Dialect names the engine the store runs on: "sqlite" or "postgres".
func (s *Store) Dialect() string { return string(s.dialect) }

// kvPassword finds the password in a libpq key=value string, quoted or not.
var kvPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// RedactDSN returns a DSN fit for logs and error messages: a PostgreSQL
// password is replaced by "xxxxx"; an SQLite path is returned as it is.
func RedactDSN(dsn string) string {
	if dialectOf(dsn) == dialectSQLite {
		return dsn
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(dsn)), "host=") {
		return kvPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	u, err := url.Parse(strings.TrimSpace(dsn))
	if err != nil {
		// The parse error would quote the DSN, password and all.
		return "postgres://(unparsable DSN)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// postgresDialector connects through pgx's database/sql driver. Timestamps
// scan in UTC, as SQLite's do, so that a time read back compares equal to
// the one written whatever the server's or the host's zone.
func postgresDialector(dsn string) (gorm.Dialector, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message already hides the password.
		return nil, fmt.Errorf("parse PostgreSQL DSN: %w", err)
	}
	utc := stdlib.OptionAfterConnect(func(_ context.Context, conn *pgx.Conn) error {
		conn.TypeMap().RegisterType(&pgtype.Type{
			Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
		})
		return nil
	})
	return postgres.New(postgres.Config{Conn: stdlib.OpenDB(*cfg, utc)}), nil
}

// dbTime is how the store keeps a time: in UTC, to the microsecond, the
// finest both engines hold, so a value reads back equal to what was written.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// dbTimePtr is dbTime for optional times.
func dbTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := dbTime(*t)
	return &v
}

// nowUTC is the store's clock as it is written to the database.
func (s *Store) nowUTC() time.Time { return dbTime(s.now()) }

// Keys of the transaction-scoped advisory locks taken on PostgreSQL, where
// transactions run side by side; SQLite's BEGIN IMMEDIATE already makes
// every writing transaction run alone.
const (
	lockSchema     int64 = 0x72746364_00000001 // "rtcd", migrations
	lockFirstAdmin int64 = 0x72746364_00000002
	lockUserSpace  int32 = 0x72746364 // with a user id: that user's results
)

// lock takes an advisory lock held until tx ends, on PostgreSQL only.
func (s *Store) lock(tx *gorm.DB, key int64) error {
	if s.dialect != dialectPostgres {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", key).Error; err != nil {
		return fmt.Errorf("advisory lock %#x: %w", key, err)
	}
	return nil
}

// lockUser serialises the transactions that number a user's results, so
// that two submissions at once cannot take the same attempt number.
func (s *Store) lockUser(tx *gorm.DB, userID uint) error {
	if s.dialect != dialectPostgres {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", lockUserSpace, int32(userID)).Error; err != nil {
		return fmt.Errorf("lock results of user %d: %w", userID, err)
	}
	return nil
}

// chr is the SQL for the character with code n: SQLite spells it char(n),
// PostgreSQL chr(n).
func (s *Store) chr(n int) string {
	if s.dialect == dialectPostgres {
		return fmt.Sprintf("chr(%d)", n)
	}
	return fmt.Sprintf("char(%d)", n)
}
