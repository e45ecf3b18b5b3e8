package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const leaseTTL = 15 * time.Second

// urlOf is a test node's URL: each node listens on an address of its own.
func urlOf(node string) string { return "http://" + node + ".example:8080" }

func TestLeases(t *testing.T) {
	ctx := context.Background()
	type fixture struct {
		s     *Store
		clock *testClock
		a     Attempt
	}
	setUp := func(t *testing.T) fixture {
		t.Helper()
		s, clock, _ := openTestStore(t)
		u := mustUser(t, s, "lena", RoleTrainee)
		return fixture{s: s, clock: clock, a: startTestAttempt(t, s, u.ID, nil)}
	}
	tests := []struct {
		name string
		run  func(t *testing.T, f fixture)
	}{
		{"the first node wins and a second is told who holds it", func(t *testing.T, f fixture) {
			got, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", "http://10.0.0.1:8080", leaseTTL)
			require.NoError(t, err)
			assert.Equal(t, "node-a", got.NodeID)
			assert.True(t, f.clock.Now().Add(leaseTTL).Equal(got.ExpiresAt))

			_, err = f.s.AcquireLease(ctx, f.a.ID, "node-b", "http://10.0.0.2:8080", leaseTTL)
			var held *LeaseHeldError
			require.ErrorAs(t, err, &held)
			assert.ErrorIs(t, err, ErrConflict)
			assert.Equal(t, "node-a", held.Holder.NodeID)
			assert.Equal(t, "http://10.0.0.1:8080", held.Holder.NodeURL)
			stored, err := f.s.AttemptLease(ctx, f.a.ID)
			require.NoError(t, err)
			assert.Equal(t, "node-a", stored.NodeID, "the loser changed nothing")
		}},
		{"the holder acquiring again extends its lease", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			f.clock.Advance(10 * time.Second)
			got, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			assert.True(t, f.clock.Now().Add(leaseTTL).Equal(got.ExpiresAt))
		}},
		{"a node restarted on the same URL takes its predecessor's lease at once", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a-1", "http://10.0.0.1:8080", leaseTTL)
			require.NoError(t, err)
			got, err := f.s.AcquireLease(ctx, f.a.ID, "node-a-2", "http://10.0.0.1:8080", leaseTTL)
			require.NoError(t, err)
			assert.Equal(t, "node-a-2", got.NodeID)
			ids, err := f.s.RenewLeases(ctx, "node-a-1", leaseTTL)
			require.NoError(t, err)
			assert.Empty(t, ids)
		}},
		{"nodes without a URL are one node restarted: a single node needs no flags", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", "", leaseTTL)
			require.NoError(t, err)
			got, err := f.s.AcquireLease(ctx, f.a.ID, "node-b", "", leaseTTL)
			require.NoError(t, err)
			assert.Equal(t, "node-b", got.NodeID)
			_, err = f.s.AcquireLease(ctx, f.a.ID, "node-c", urlOf("node-c"), leaseTTL)
			assert.ErrorIs(t, err, ErrConflict, "a node with a URL is another node")
		}},
		{"renewal keeps a lease past its first expiry", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			f.clock.Advance(leaseTTL - time.Second)
			ids, err := f.s.RenewLeases(ctx, "node-a", leaseTTL)
			require.NoError(t, err)
			assert.Equal(t, []uint{f.a.ID}, ids)
			f.clock.Advance(leaseTTL - time.Second)
			_, err = f.s.AcquireLease(ctx, f.a.ID, "node-b", urlOf("node-b"), leaseTTL)
			assert.ErrorIs(t, err, ErrConflict, "renewed, so still node-a's")
			expired, err := f.s.ExpiredLeases(ctx)
			require.NoError(t, err)
			assert.Empty(t, expired)
		}},
		{"an expired lease is listed, taken over, and lost to its old holder", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			f.clock.Advance(leaseTTL + time.Millisecond)
			expired, err := f.s.ExpiredLeases(ctx)
			require.NoError(t, err)
			require.Len(t, expired, 1)
			assert.Equal(t, f.a.ID, expired[0].AttemptID)
			assert.Equal(t, "node-a", expired[0].NodeID)

			got, err := f.s.AcquireLease(ctx, f.a.ID, "node-b", "http://10.0.0.2:8080", leaseTTL)
			require.NoError(t, err)
			assert.Equal(t, "node-b", got.NodeID)
			ids, err := f.s.RenewLeases(ctx, "node-a", leaseTTL)
			require.NoError(t, err)
			assert.Empty(t, ids, "node-a learns at its next renewal that the lease is gone")
			assert.ErrorIs(t, f.s.ReleaseLease(ctx, f.a.ID, "node-a"), ErrNotFound)
			stored, err := f.s.AttemptLease(ctx, f.a.ID)
			require.NoError(t, err)
			assert.Equal(t, "node-b", stored.NodeID, "the old holder's release leaves the new lease alone")
		}},
		{"expired leases of finished attempts are not listed", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			_, err = f.s.FinishAttempt(ctx, f.a.ID, StatusSubmitted, ptr(1.0))
			require.NoError(t, err)
			f.clock.Advance(time.Hour)
			expired, err := f.s.ExpiredLeases(ctx)
			require.NoError(t, err)
			assert.Empty(t, expired)
		}},
		{"a released lease is free for any node", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			require.NoError(t, f.s.ReleaseLease(ctx, f.a.ID, "node-a"))
			_, err = f.s.AttemptLease(ctx, f.a.ID)
			assert.ErrorIs(t, err, ErrNotFound)
			_, err = f.s.AcquireLease(ctx, f.a.ID, "node-b", urlOf("node-b"), leaseTTL)
			assert.NoError(t, err)
		}},
		{"renewal touches only the node's own leases", func(t *testing.T, f fixture) {
			other := startTestAttempt(t, f.s, f.a.UserID, nil)
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			_, err = f.s.AcquireLease(ctx, other.ID, "node-b", urlOf("node-b"), leaseTTL)
			require.NoError(t, err)
			f.clock.Advance(leaseTTL - time.Second)
			ids, err := f.s.RenewLeases(ctx, "node-a", leaseTTL)
			require.NoError(t, err)
			assert.Equal(t, []uint{f.a.ID}, ids)
			f.clock.Advance(2 * time.Second)
			expired, err := f.s.ExpiredLeases(ctx)
			require.NoError(t, err)
			require.Len(t, expired, 1)
			assert.Equal(t, other.ID, expired[0].AttemptID)
		}},
		{"the lease goes with its attempt", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "node-a", urlOf("node-a"), leaseTTL)
			require.NoError(t, err)
			require.NoError(t, f.s.db.Exec("DELETE FROM attempts WHERE id = ?", f.a.ID).Error)
			_, err = f.s.AttemptLease(ctx, f.a.ID)
			assert.ErrorIs(t, err, ErrNotFound)
		}},
		{"bad arguments and missing attempts are refused", func(t *testing.T, f fixture) {
			_, err := f.s.AcquireLease(ctx, f.a.ID, "", "", leaseTTL)
			assert.ErrorIs(t, err, ErrInvalid)
			_, err = f.s.AcquireLease(ctx, f.a.ID, "node-a", "", 0)
			assert.ErrorIs(t, err, ErrInvalid)
			_, err = f.s.RenewLeases(ctx, "", leaseTTL)
			assert.ErrorIs(t, err, ErrInvalid)
			_, err = f.s.AcquireLease(ctx, f.a.ID+1000, "node-a", urlOf("node-a"), leaseTTL)
			assert.ErrorIs(t, err, ErrInvalid, "a missing attempt is not someone else's lease")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, setUp(t)) })
	}
}

// TestLeaseRace has nodes race for one attempt: exactly one wins.
func TestLeaseRace(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	a := startTestAttempt(t, s, mustUser(t, s, "lena", RoleTrainee).ID, nil)
	nodes := []string{"node-a", "node-b", "node-c", "node-d"}
	errs := make(chan error, len(nodes))
	start := make(chan struct{}) // all set off together, so they really race
	for _, n := range nodes {
		go func() {
			<-start
			_, err := s.AcquireLease(ctx, a.ID, n, urlOf(n), leaseTTL)
			errs <- err
		}()
	}
	close(start)
	won := 0
	for range nodes {
		err := <-errs
		if err == nil {
			won++
			continue
		}
		var held *LeaseHeldError
		assert.ErrorAs(t, err, &held)
	}
	assert.Equal(t, 1, won)
}
