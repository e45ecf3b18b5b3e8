package simulator_test

import (
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/relay"
)

const relayDelay = 25 * time.Millisecond

// TestUDPBlocked: behind a firewall that drops UDP, ICE fails for real;
// setting the call up again changes nothing; relaying over TURN/TCP or
// TURN/TLS connects, and the relay's extra round trip shows in the RTT.
func TestUDPBlocked(t *testing.T) {
	for _, via := range []relay.Transport{relay.TCP, relay.TLS} {
		t.Run(string(via), func(t *testing.T) {
			noLeaks(t)
			c := newFaultCall(t, simulator.WithUDPBlocked(true), simulator.WithRelayTransport(via),
				simulator.WithRelayDelay(relayDelay), simulator.WithSeed(41))
			requireBroken(t, c, 0)
			// Signaling worked; ICE did not: the scenario's evidence.
			requireLog(t, c, `answer received`, `client ice: ICE connection state changed: failed`)
			assert.Equal(t, "media connection failed (ICE failed)", c.Leg().Err)

			require.Error(t, c.ResetSession(remedyCtx(t)), "calling again meets the same firewall")
			requireBroken(t, c, 0)

			require.NoError(t, c.UseRelay(remedyCtx(t)))
			requireFlowing(t, c)
			leg := c.Leg()
			assert.True(t, leg.Relay)
			assert.True(t, strings.HasPrefix(leg.Path, "relay ("+string(via)+")"), "path %q", leg.Path)
			allocs, to, from := c.Relay()
			assert.Equal(t, 1, allocs)
			assert.Greater(t, to, uint64(100), "media went through the relay")
			assert.Greater(t, from, uint64(100))
			assert.True(t, c.UDPBlocked(), "the firewall is still there")

			// The delay line holds each datagram relayDelay each way, so no
			// round trip can be shorter than twice that.
			at := lastOffset(c)
			var rtts []float64
			waitFor(t, remedyTimeout, "RTT reports over the relay", func() bool {
				rtts = rtts[:0]
				for _, s := range c.Series() {
					if s.Offset > at && s.RoundTripTime > 0 {
						rtts = append(rtts, s.RoundTripTime)
					}
				}
				return len(rtts) >= 3
			})
			sort.Float64s(rtts)
			assert.GreaterOrEqual(t, rtts[0], (2 * relayDelay).Seconds(), "RTTs %v", rtts)
		})
	}
}

// TestTURNOverUDPDoesNotPassTheFirewall: the relay over UDP meets the same
// wall, so the relay remedy fails unless it uses TCP or TLS.
func TestTURNOverUDPDoesNotPassTheFirewall(t *testing.T) {
	noLeaks(t)
	c := newFaultCall(t, simulator.WithUDPBlocked(true), simulator.WithRelayTransport(relay.UDP), simulator.WithSeed(42))
	requireBroken(t, c, 0)
	require.Error(t, c.UseRelay(remedyCtx(t)))
	requireBroken(t, c, 0)
	allocs, _, _ := c.Relay()
	assert.Zero(t, allocs)
}

// TestMediaServerDown: the serving media server goes dark mid-call; ICE
// goes disconnected, then failed; signaling to another domain still lands
// on the dead server; failing over to the backup server brings media back
// on the same series.
func TestMediaServerDown(t *testing.T) {
	noLeaks(t)
	c := newFaultCall(t, simulator.WithSeed(43))
	first := requireFlowing(t, c)
	require.NoError(t, c.SetMediaServerDown(simulator.MediaServerPrimary, true))
	waitFor(t, remedyTimeout, "ICE to fail", func() bool { return c.State() == simulator.StateFailed })
	requireLog(t, c, `client ice: ICE connection state changed: disconnected`, `client ice: ICE connection state changed: failed`)
	before := c.Measured().VideoPackets
	requireBroken(t, c, before)

	err := c.SwitchSignalingDomain(remedyCtx(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "503 Service Unavailable: media server primary unreachable")
	requireBroken(t, c, before)

	require.NoError(t, c.FailoverServer(remedyCtx(t)))
	last := requireFlowing(t, c)
	assert.Equal(t, simulator.MediaServerBackup, c.Leg().MediaServer)

	// One time axis and cumulative counters across the reconnection.
	s := c.Series()
	for i := 1; i < len(s); i++ {
		assert.Greater(t, s[i].Offset, s[i-1].Offset)
		assert.GreaterOrEqual(t, s[i].PacketsReceived, s[i-1].PacketsReceived)
		assert.GreaterOrEqual(t, s[i].FramesDropped, s[i-1].FramesDropped)
		assert.GreaterOrEqual(t, s[i].TotalSamples, s[i-1].TotalSamples)
	}
	assert.Greater(t, last.PacketsReceived, first.PacketsReceived)
	assert.Equal(t, first.FirstFrameTime, last.FirstFrameTime, "the first frame stays the call's first")
	assert.Equal(t, 1280, last.FrameWidth, "the new leg renders at the rendition's size")
	m := c.Measured()
	assert.Greater(t, m.VideoPackets, before)
	assert.Less(t, float64(m.VideoLost), 0.05*float64(m.VideoPackets), "legs counted as separate streams, not one long gap")
}

// TestOptionalMachinery: a call built without firewalls or capture refuses
// network faults and pcap export with a clear error rather than pretending,
// and never starts a TURN server it does not need.
func TestOptionalMachinery(t *testing.T) {
	noLeaks(t)
	c := startCall(t, simulator.WithSeed(44))
	assert.ErrorIs(t, c.SetUDPBlocked(true), simulator.ErrNoFirewalls)
	assert.False(t, c.UDPBlocked())
	assert.ErrorIs(t, c.SetMediaServerDown(simulator.MediaServerPrimary, true), simulator.ErrNoFirewalls)
	assert.False(t, c.MediaServerDown(simulator.MediaServerPrimary))
	assert.Nil(t, c.Captured())
	assert.ErrorContains(t, c.WritePCAP(io.Discard), "WithCapture")
	allocs, to, from := c.Relay()
	assert.Zero(t, allocs+int(to)+int(from))
}
