package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

func TestDialectOf(t *testing.T) {
	tests := []struct {
		dsn  string
		want dialect
	}{
		{"postgres://u:pw@127.0.0.1/rtcdrill", dialectPostgres},
		{"postgresql://127.0.0.1/rtcdrill?sslmode=disable", dialectPostgres},
		{"POSTGRES://127.0.0.1/rtcdrill", dialectPostgres},
		{"host=/var/run/postgresql dbname=rtcdrill", dialectPostgres},
		{"  host=db.internal user=rtc", dialectPostgres},
		{"data/rtcdrill.db", dialectSQLite},
		{"/var/lib/rtcdrill/rtcdrill.db", dialectSQLite},
		{"hostname.db", dialectSQLite},
		{"postgres.db", dialectSQLite},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			assert.Equal(t, tt.want, dialectOf(tt.dsn))
		})
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"postgres://rtc:s3cret@db:5432/rtcdrill?sslmode=disable", "postgres://rtc:xxxxx@db:5432/rtcdrill?sslmode=disable"},
		{"postgres://db/rtcdrill?password=s3cret&user=rtc", "postgres://db/rtcdrill?password=xxxxx&user=rtc"},
		{"host=db user=rtc password=s3cret dbname=rtcdrill", "host=db user=rtc password=xxxxx dbname=rtcdrill"},
		{"host=db password = 'a b\\' s3cret' dbname=x", "host=db password = xxxxx dbname=x"},
		{"host=/var/run/postgresql dbname=rtcdrill", "host=/var/run/postgresql dbname=rtcdrill"},
		{"data/rtcdrill.db", "data/rtcdrill.db"},
		{"postgres://rtc:s3cret@db:99999999/%zz", "postgres://(unparsable DSN)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := RedactDSN(tt.dsn)
			assert.Equal(t, tt.want, got)
			assert.NotContains(t, got, "s3cret")
		})
	}
}

// TestOpenChoosesDialect opens the backend the environment chose through
// its DSN and checks the engine, the pool and the schema it ends up with.
func TestOpenChoosesDialect(t *testing.T) {
	s, _, dsn := openTestStore(t)
	ctx := context.Background()
	backend := storetest.Backend(t)
	assert.Equal(t, backend, s.Dialect())
	assert.Equal(t, dialect(backend), dialectOf(dsn))
	sqlDB, err := s.db.DB()
	require.NoError(t, err)
	wantPool := map[string]int{storetest.SQLite: 4, storetest.Postgres: 10}[backend]
	assert.Equal(t, wantPool, sqlDB.Stats().MaxOpenConnections)
	v, err := s.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, v, "accounts, results, customer view, leases")
	var engine string
	if backend == storetest.Postgres {
		require.NoError(t, s.db.Raw("SELECT version()").Scan(&engine).Error)
		assert.Contains(t, engine, "PostgreSQL")
	} else {
		require.NoError(t, s.db.Raw("SELECT sqlite_version()").Scan(&engine).Error)
		assert.Regexp(t, `^3\.`, engine)
	}
}

// TestOpenRefusesBadPostgres checks that a PostgreSQL DSN that cannot be
// used fails Open with a message that names it without its password.
func TestOpenRefusesBadPostgres(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	tests := map[string]string{
		"nobody listens":    "postgres://rtc:s3cret@127.0.0.1:1/rtcdrill?connect_timeout=5",
		"bad port":          "postgres://rtc:s3cret@127.0.0.1:notaport/rtcdrill",
		"unknown key":       "host=127.0.0.1 password=s3cret nonsense",
		"socket dir absent": "host=/nonexistent/rtcdrill password=s3cret dbname=x connect_timeout=5",
	}
	for name, dsn := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Open(context.Background(), dsn)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "open store")
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}

// TestConcurrentMigrations starts four stores at once on one fresh
// database, as nodes of one deployment do: every one must come up, and
// each step must have run exactly once.
func TestConcurrentMigrations(t *testing.T) {
	dsn := storetest.NewDatabase(t)
	ctx := context.Background()
	const nodes = 4
	stores := make([]*Store, nodes)
	errs := make([]error, nodes)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = Open(ctx, dsn)
		})
	}
	close(start)
	wg.Wait()
	for i := range nodes {
		require.NoError(t, errs[i], "node %d", i)
		t.Cleanup(func() { assert.NoError(t, stores[i].Close()) })
	}
	for i, s := range stores {
		v, err := s.SchemaVersion(ctx)
		require.NoError(t, err)
		assert.Equal(t, 4, v, "node %d", i)
	}
	var applied []int
	require.NoError(t, stores[0].db.Raw("SELECT version FROM schema_migrations ORDER BY version").Scan(&applied).Error)
	assert.Equal(t, []int{1, 2, 3, 4}, applied, "each step recorded once")
	u, err := stores[1].CreateUser(ctx, NewUser{Username: "ana", Role: RoleTrainee, Password: "pw"})
	require.NoError(t, err)
	got, err := stores[2].User(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "ana", got.Username, "the nodes share one database")
}

// TestTimesRoundTrip writes times finer than a microsecond and away from
// UTC, as time.Now gives them, and reads them back: both engines must hand
// back exactly what the store returned when writing.
func TestTimesRoundTrip(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	fine := time.Date(2025, 3, 1, 14, 30, 0, 123456789, zone)
	clock.Advance(fine.Sub(clock.Now()))
	u := mustUser(t, s, "ana", RoleTrainee)
	deadline := fine.Add(10 * time.Minute)
	a, err := s.StartAttempt(ctx, NewAttempt{UserID: u.ID, Mode: ModePractice, Deadline: &deadline,
		Items: []NewAttemptItem{{ScenarioID: "wifi", VariantSeed: -1, ContentHash: "h"}}})
	require.NoError(t, err)
	act, err := s.RecordAction(ctx, Action{AttemptItemID: a.Items[0].ID, At: fine.Add(time.Second),
		Kind: ActionTool, Name: "ping"})
	require.NoError(t, err)

	want := time.Date(2025, 3, 1, 9, 0, 0, 123456000, time.UTC)
	gotUser, err := s.User(ctx, u.ID)
	require.NoError(t, err)
	gotAttempt, err := s.Attempt(ctx, a.ID)
	require.NoError(t, err)
	gotActions, err := s.Actions(ctx, a.Items[0].ID)
	require.NoError(t, err)
	require.Len(t, gotActions, 1)
	tests := []struct {
		name          string
		wrote, stored time.Time
		want          time.Time
	}{
		{"created_at from the clock", u.CreatedAt, gotUser.CreatedAt, want},
		{"started_at from the clock", a.StartedAt, gotAttempt.StartedAt, want},
		{"deadline from the caller", *a.Deadline, *gotAttempt.Deadline, want.Add(10 * time.Minute)},
		{"action time from the caller", act.At, gotActions[0].At, want.Add(time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.wrote, "returned as stored: UTC, whole microseconds")
			assert.Equal(t, tt.want, tt.stored, "read back equal, location included")
		})
	}
}
