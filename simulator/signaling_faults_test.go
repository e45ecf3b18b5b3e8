package simulator_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// signalingCall fails signaling fast: 1 s per attempt, two attempts.
func signalingCall(tb testing.TB, f signaling.Fault) *simulator.Call {
	tb.Helper()
	return newFaultCall(tb, simulator.WithSignalingFault(f), simulator.WithSeed(21),
		simulator.WithSignalingTimeout(time.Second), simulator.WithSignalingAttempts(2, 100*time.Millisecond))
}

// TestSignalingFaults: each fault leaves the call without media and logs
// what a real app logs; a remedy that does not touch signaling leaves it
// broken; once the cause is gone (the customer logs in to the captive
// portal, the gateway is fixed) resetting the session brings media back.
func TestSignalingFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault signaling.Fault
		logs  []string
		wrong func(*simulator.Call) error
	}{
		{name: "timeout", fault: signaling.Fault{Mode: signaling.ModeTimeout},
			logs:  []string{`failed to WebSocket dial`, `signal\.primary\.rtcdrill\.test.*context deadline exceeded`, `attempt 2/2`},
			wrong: func(c *simulator.Call) error { return c.UseRelay(remedyCtx(t)) }},
		{name: "slower than the app waits", fault: signaling.Fault{Mode: signaling.ModeSlow, Delay: 5 * time.Second},
			logs:  []string{`failed to read JSON message: failed to get reader: context deadline exceeded`},
			wrong: func(c *simulator.Call) error { return c.ResetSession(remedyCtx(t)) }},
		{name: "reset", fault: signaling.Fault{Mode: signaling.ModeReset},
			logs:  []string{`connection reset by peer`},
			wrong: func(c *simulator.Call) error { return c.FailoverServer(remedyCtx(t)) }},
		{name: "malformed sdp", fault: signaling.Fault{Mode: signaling.ModeMalformedSDP},
			logs: []string{`client error: SetRemoteDescription: `, `call setup failed: negotiation failed`},
			wrong: func(c *simulator.Call) error {
				p, _ := simulator.CodecProfileByName(simulator.ProfilePCChrome)
				return c.SwitchBrowser(remedyCtx(t), p)
			}},
		{name: "refused sdp", fault: signaling.Fault{Mode: signaling.ModeRefusedSDP},
			logs:  []string{`refused the offer: 488 Not Acceptable Here`},
			wrong: func(c *simulator.Call) error { return c.SwitchSignalingDomain(remedyCtx(t)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			c := signalingCall(t, tt.fault)
			requireBroken(t, c, 0)
			requireLog(t, c, append(tt.logs, `call setup failed`)...)

			require.Error(t, tt.wrong(c), "a remedy that leaves signaling alone does not help")
			requireBroken(t, c, 0)

			require.NoError(t, c.SetSignalingFault(signaling.Fault{Mode: signaling.ModeNone}))
			require.NoError(t, c.ResetSession(remedyCtx(t)))
			requireFlowing(t, c)
			assert.GreaterOrEqual(t, c.Leg().ID, 3, "each remedy set up a new leg")
		})
	}
}

func TestSlowSignalingWithinTheTimeoutConnects(t *testing.T) {
	noLeaks(t)
	c := signalingCall(t, signaling.Fault{Mode: signaling.ModeSlow, Delay: 300 * time.Millisecond})
	requireFlowing(t, c)
	requireLog(t, c, `answer received from signal\.primary`)
	assert.Equal(t, 1, c.Leg().ID)
}

// TestPrimarySignalingDown: the primary domain refuses connections; only
// switching to the backup domain (and a fresh session) helps.
func TestPrimarySignalingDown(t *testing.T) {
	noLeaks(t)
	c := signalingCall(t, signaling.Fault{Mode: signaling.ModePrimaryDown})
	requireBroken(t, c, 0)
	// The scenario's own evidence pattern.
	requireLog(t, c, `signal\.primary\..*connection refused`)
	assert.Equal(t, signaling.ModePrimaryDown, c.SignalingFault().Mode)

	p, err := simulator.CodecProfileByName(simulator.ProfileAppLatest)
	require.NoError(t, err)
	err = c.UpdateClient(remedyCtx(t), p)
	require.Error(t, err, "a new app still calls the primary domain")
	assert.Contains(t, err.Error(), "connection refused")
	requireBroken(t, c, 0)

	require.NoError(t, c.SwitchSignalingDomain(remedyCtx(t)))
	requireFlowing(t, c)
	assert.Equal(t, signaling.BackupDomain, c.Leg().Domain)
	requireLog(t, c, `remedy switch signaling domain and reset the session: connected again`)

	var refused *signaling.RefusedError
	assert.False(t, errors.As(err, &refused), "refused connections are not a refused offer")
}
