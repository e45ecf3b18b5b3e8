package simulator_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// TestAsyncSetupRelayedFromTheStart: with WithAsyncSetup New returns while
// the app is still connecting; WithRelay sets the first leg up through the
// TURN server; after Close the call is closed and remedies refuse.
func TestAsyncSetupRelayedFromTheStart(t *testing.T) {
	noLeaks(t)
	var mu sync.Mutex
	var events []simulator.Event
	ctx, cancel := context.WithTimeout(context.Background(), remedyTimeout)
	defer cancel()
	c, err := simulator.New(ctx, simulator.WithAsyncSetup(), simulator.WithRelay(true),
		simulator.WithSignalingDomain(signaling.BackupDomain), simulator.WithSeed(51),
		simulator.WithEvents(func(e simulator.Event) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, e)
		}))
	require.NoError(t, err)
	assert.Equal(t, 1, c.Leg().ID)
	requireFlowing(t, c)
	leg := c.Leg()
	assert.True(t, leg.Relay)
	assert.True(t, strings.HasPrefix(leg.Path, "relay (tls)"), leg.Path)
	assert.Equal(t, signaling.BackupDomain, leg.Domain)
	assert.Greater(t, leg.Connected, leg.Started)

	require.NoError(t, c.Close())
	assert.Equal(t, simulator.StateClosed, c.State())
	err = c.ResetSession(context.Background())
	assert.True(t, errors.Is(err, simulator.ErrClosed), "%v", err)

	// Pion reports its last state changes from its own goroutines, which
	// may still be finishing: wait for the two logs to agree.
	waitFor(t, remedyTimeout, "WithEvents to see every line Log keeps", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(events) == len(c.Log())
	})
	mu.Lock()
	defer mu.Unlock()
	assert.ElementsMatch(t, c.Log(), events)
}

func TestOptionsValidate(t *testing.T) {
	bad := map[string]simulator.Option{
		"slow without delay":   simulator.WithSignalingFault(signaling.Fault{Mode: signaling.ModeSlow}),
		"unknown server":       simulator.WithMediaServerDown("tertiary"),
		"unknown domain":       simulator.WithSignalingDomain("signal.example.com"),
		"zero attempts":        simulator.WithSignalingAttempts(0, time.Second),
		"negative relay delay": simulator.WithRelayDelay(-time.Millisecond),
		"relay over sctp":      simulator.WithRelayTransport("sctp"),
		"empty profile":        simulator.WithClientProfile(simulator.CodecProfile{Name: "none"}),
		"zero ICE timeout":     simulator.WithICETimeouts(0, time.Second, time.Second),
	}
	for name, opt := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := simulator.New(context.Background(), opt)
			assert.Error(t, err)
		})
	}
}
