// Package store keeps rtcdrill's durable state — accounts, sessions, exams and
// attempts — in an SQLite file or a PostgreSQL database through GORM. It is
// the only package that imports gorm, so the rest of the program sees plain
// structs and errors.
package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNotFound reports that the requested record does not exist. Lookups wrap
// it with what was looked for; callers test with errors.Is.
var ErrNotFound = errors.New("not found")

// ErrConflict reports that a write would break a uniqueness rule, such as a
// second user with the same username.
var ErrConflict = errors.New("conflict")

// ErrBadCredentials reports a failed sign-in. It does not say whether the
// user or the password was wrong, so that callers cannot leak which.
var ErrBadCredentials = errors.New("bad credentials")

// Store is an open rtcdrill database. It is safe for concurrent use.
type Store struct {
	db         *gorm.DB
	dialect    dialect
	now        func() time.Time
	random     io.Reader
	bcryptCost int
	log        *slog.Logger
	// decoyHash is compared against when a username is unknown; it is made
	// on first use because bcrypt at Open would slow every start.
	decoyHash func() []byte

	closeOnce sync.Once
	closeErr  error
}

// Option configures a Store at Open.
type Option func(*Store) error

// WithClock sets the clock used for timestamps and expiry checks, so tests
// can move time without sleeping.
func WithClock(now func() time.Time) Option {
	return func(s *Store) error {
		if now == nil {
			return errors.New("nil clock")
		}
		s.now = now
		return nil
	}
}

// WithRandom sets the source of session and API token bytes. It must be
// cryptographically strong outside tests.
func WithRandom(r io.Reader) Option {
	return func(s *Store) error {
		if r == nil {
			return errors.New("nil random source")
		}
		s.random = r
		return nil
	}
}

// WithBcryptCost sets the bcrypt work factor; tests lower it because
// bcrypt.DefaultCost makes every created user cost tens of milliseconds.
func WithBcryptCost(cost int) Option {
	return func(s *Store) error {
		if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
			return fmt.Errorf("bcrypt cost %d outside [%d, %d]", cost, bcrypt.MinCost, bcrypt.MaxCost)
		}
		s.bcryptCost = cost
		return nil
	}
}

// WithLogger routes slow queries and database errors to log.
func WithLogger(log *slog.Logger) Option {
	return func(s *Store) error {
		if log == nil {
			return errors.New("nil logger")
		}
		s.log = log
		return nil
	}
}

// Open opens the database dsn names and brings its schema up to date. A
// postgres:// or postgresql:// URL, or a libpq key=value string starting
// with host=, is a PostgreSQL database, which must exist; anything else is
// the path of an SQLite file, created if needed.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	name := RedactDSN(dsn)
	s := &Store{
		dialect:    dialectOf(dsn),
		now:        time.Now,
		random:     rand.Reader,
		bcryptCost: bcrypt.DefaultCost,
		log:        slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, fmt.Errorf("open store %s: %w", name, err)
		}
	}
	s.decoyHash = sync.OnceValue(func() []byte {
		h, _ := bcrypt.GenerateFromPassword([]byte("rtcdrill decoy password"), s.bcryptCost)
		return h
	})
	newDialector := func() (gorm.Dialector, error) { return sqlite.Open(sqliteDSN(dsn)), nil }
	if s.dialect == dialectPostgres {
		newDialector = func() (gorm.Dialector, error) { return postgresDialector(dsn) }
	}
	db, err := s.open(ctx, newDialector)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	s.db = db
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	if s.dialect == dialectPostgres {
		// Writers run side by side on PostgreSQL; the pool is sized for a
		// node's share of the server's connections, kept open between
		// bursts because a new one costs a backend process.
		sqlDB.SetMaxOpenConns(10)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		// SQLite has one writer at a time; a small pool keeps readers
		// concurrent under WAL while busy_timeout queues the writers
		// instead of failing.
		sqlDB.SetMaxOpenConns(4)
	}
	if err := s.migrate(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	return s, nil
}

// sqliteOpenRetry bounds how long Open retries an SQLite file that other
// nodes are opening at the same moment.
const sqliteOpenRetry = 10 * time.Second

// open connects through a fresh dialector and config on each attempt (gorm
// keeps state in both). Switching a new SQLite file to WAL needs the file to
// itself, and SQLite answers SQLITE_BUSY at once there rather than waiting
// (its busy timeout does not apply where waiting could deadlock), so nodes
// opening one fresh file together retry for up to sqliteOpenRetry.
func (s *Store) open(ctx context.Context, newDialector func() (gorm.Dialector, error)) (*gorm.DB, error) {
	deadline := time.NewTimer(sqliteOpenRetry)
	defer deadline.Stop()
	wait := 5 * time.Millisecond
	for {
		dialector, err := newDialector()
		if err != nil {
			return nil, err
		}
		db, err := gorm.Open(dialector, &gorm.Config{
			NowFunc:        s.nowUTC,
			TranslateError: true,
			Logger: logger.NewSlogLogger(s.log, logger.Config{
				SlowThreshold:             200 * time.Millisecond,
				LogLevel:                  logger.Warn,
				IgnoreRecordNotFoundError: true,
			}),
		})
		if err == nil {
			return db, nil
		}
		// gorm hands back the pool even when its first ping fails.
		if db != nil {
			if sqlDB, e := db.DB(); e == nil {
				_ = sqlDB.Close()
			}
		}
		var busy sqlite3.Error
		if s.dialect != dialectSQLite || !errors.As(err, &busy) || busy.Code != sqlite3.ErrBusy {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-deadline.C:
			return nil, err
		case <-time.After(wait):
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// sqliteDSN builds the go-sqlite3 connection string. The pragmas are per
// connection, so they go in the DSN rather than a one-off PRAGMA statement:
// WAL lets readers run beside the writer, busy_timeout waits for the write
// lock instead of failing with SQLITE_BUSY, foreign_keys makes the schema's
// REFERENCES real, and _txlock=immediate takes the write lock at BEGIN so two
// read-then-write transactions cannot deadlock on lock upgrade.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	// A plain path (not a file: URI) so that SQLite does not %-decode it.
	return path + "?" + q.Encode()
}

// Ping checks that the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// Close closes the database. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		sqlDB, err := s.db.DB()
		if err != nil {
			s.closeErr = fmt.Errorf("close store: %w", err)
			return
		}
		if err := sqlDB.Close(); err != nil {
			s.closeErr = fmt.Errorf("close store: %w", err)
		}
	})
	return s.closeErr
}

// dbErr maps gorm's errors to the store's, keeping the context.
func dbErr(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		err = ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		err = ErrConflict
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		err = fmt.Errorf("refers to a missing record: %w", ErrInvalid)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
