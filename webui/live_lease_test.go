package webui

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

// TestRenewFailureFencesCalls cuts a node off from its database (the store
// is closed, so every renewal fails) and checks that a call is stopped here
// only once its lease could lapse before the next renewal: then another
// node may resume it, and one attempt must not run on two nodes.
func TestRenewFailureFencesCalls(t *testing.T) {
	const ttl = 3 * time.Second
	tests := []struct {
		name      string
		sinceLast time.Duration // since the lease was last renewed
		fenced    bool
	}{
		{name: "one renewal missed", sinceLast: ttl / 3, fenced: false},
		// The renewal loop ticks every second of a 3 s TTL: a lease last
		// renewed 2 s ago lapses before the tick after next.
		{name: "just short of the fence", sinceLast: 2*time.Second - time.Millisecond, fenced: false},
		{name: "the next renewal would come too late", sinceLast: 2 * time.Second, fenced: true},
		{name: "the lease has lapsed", sinceLast: 2 * ttl, fenced: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := store.Open(context.Background(), storetest.NewDatabase(t))
			require.NoError(t, err)
			require.NoError(t, st.Close()) // the database is out of reach from now on
			clock := &testClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
			log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
			m := newLiveCalls(liveConfig{nodeID: "a", leaseTTL: ttl}, st, clock.Now, log, nil)
			defer m.close()

			callCtx, stop := context.WithCancel(context.Background())
			defer stop()
			lc := &liveCall{itemID: 1, attemptID: 7, leased: true, renewed: clock.Now(), stopCall: stop}
			m.mu.Lock()
			m.calls[lc.itemID] = lc
			m.mu.Unlock()

			clock.Advance(tt.sinceLast)
			m.renewLeases(context.Background())

			m.mu.Lock()
			stopping, lost := lc.stopping, lc.lost
			m.mu.Unlock()
			assert.Equal(t, tt.fenced, stopping, "call stopped")
			assert.Equal(t, tt.fenced, lost, "lease given up without a release")
			assert.Equal(t, tt.fenced, callCtx.Err() != nil, "call's context cancelled")
		})
	}
}

// TestRenewalFindsLeaseTakenOver has this node learn at its renewal that
// another node took the attempt's lease after it expired: the call stops
// here, and the lease, now the other node's, is not released.
func TestRenewalFindsLeaseTakenOver(t *testing.T) {
	const ttl = 3 * time.Second
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
	attemptID := startPractice(t, app.signedIn(t, app.mkUser(t, "rita", store.RoleTrainee)))
	ctx := context.Background()
	_, err := app.st.AcquireLease(ctx, attemptID, "a", "", ttl)
	require.NoError(t, err)

	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	m := newLiveCalls(liveConfig{nodeID: "a", leaseTTL: ttl}, app.st, app.clock.Now, log, nil)
	defer m.close()
	callCtx, stop := context.WithCancel(context.Background())
	defer stop()
	lc := &liveCall{itemID: 1, attemptID: attemptID, leased: true, renewed: app.clock.Now(), stopCall: stop}
	m.mu.Lock()
	m.calls[lc.itemID] = lc
	m.mu.Unlock()

	app.clock.Advance(ttl + time.Second) // a's lease lapses; b resumes the attempt
	_, err = app.st.AcquireLease(ctx, attemptID, "b", "http://10.0.0.2:8080", ttl)
	require.NoError(t, err)
	m.renewLeases(ctx)

	m.mu.Lock()
	stopping, lost := lc.stopping, lc.lost
	m.mu.Unlock()
	assert.True(t, stopping, "call stopped here")
	assert.True(t, lost, "lease known lost")
	assert.Error(t, callCtx.Err(), "call's context cancelled")
	m.dropLease(lc)
	lease, err := app.st.AttemptLease(ctx, attemptID)
	require.NoError(t, err)
	assert.Equal(t, "b", lease.NodeID, "the new holder keeps the lease")
}
