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
		{name: "just short of the fence", sinceLast: ttl*2/3 - time.Millisecond, fenced: false},
		{name: "the next renewal would come too late", sinceLast: ttl * 2 / 3, fenced: true},
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
