package store

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

// testClock is a clock that moves only when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// openTestStore opens a store on a fresh database of the backend the
// environment chooses (see storetest), with a fixed clock, seeded
// randomness and cheap bcrypt. It returns the DSN to open it again.
func openTestStore(tb testing.TB) (*Store, *testClock, string) {
	tb.Helper()
	clock := newTestClock()
	path := storetest.NewDatabase(tb)
	s, err := Open(context.Background(), path,
		WithClock(clock.Now),
		WithRandom(rand.NewChaCha8([32]byte{1, 2, 3})),
		WithBcryptCost(bcrypt.MinCost))
	require.NoError(tb, err)
	tb.Cleanup(func() { require.NoError(tb, s.Close()) })
	return s, clock, path
}

func mustUser(tb testing.TB, s *Store, name string, role Role) User {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), NewUser{Username: name, Role: role, Password: name + "-password"})
	require.NoError(tb, err)
	return u
}

func ptr[T any](v T) *T { return &v }
