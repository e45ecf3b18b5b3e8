package simulator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
)

// TestSessionRemedies runs a WiFi-latency ticket: the symptom shows, a wrong
// remedy leaves it, the right one resolves it and the engine says when.
func TestSessionRemedies(t *testing.T) {
	t.Parallel()
	lib := loadLibrary(t)
	s := startSession(t, lib, "wifi-high-rtt", 3)

	waitFor(t, 3*time.Minute, "RTT above 500 ms", func() bool {
		ss := s.Series()
		return len(ss) >= 3 && simulator.SmoothedMetrics(ss[len(ss)-3:])["roundTripTime"] > 0.5
	})
	wrong, err := s.Apply("lower_resolution_720p")
	require.NoError(t, err)
	assert.Contains(t, wrong.Outcome, "720p")
	waitSeries(t, s, wrong.At+12*time.Second)
	assert.False(t, s.Status().Resolved, "a lower resolution does not fix a congested WiFi")
	assert.Greater(t, simulator.SmoothedMetrics(s.Series()[len(s.Series())-3:])["roundTripTime"], 0.5)

	right, err := s.Apply("switch_to_mobile_data")
	require.NoError(t, err)
	waitFor(t, 3*time.Minute, "resolved", func() bool { return s.Status().Resolved })
	st := s.Status()
	assert.GreaterOrEqual(t, st.ResolvedAt, right.At+10*time.Second)
	assert.Less(t, st.ResolvedAt, right.At+30*time.Second, "recovered within 30 s of the remedy")
	assert.Len(t, s.Actions(), 2)

	_, err = s.Apply("no-such-remedy")
	require.ErrorIs(t, err, simulator.ErrUnknownRemedy)

	assert.Equal(t, "shanghai", s.EdgeNode(), "the scenario's edge node")
	_, err = s.Apply("move_edge_node_guangzhou")
	require.NoError(t, err)
	assert.Equal(t, "guangzhou", s.EdgeNode(), "moved by the remedy")
}

// TestSessionServerOverload: the dashboard shows the overloaded primary,
// ping and traceroute answer on the customer's path, failover resolves.
func TestSessionServerOverload(t *testing.T) {
	t.Parallel()
	lib := loadLibrary(t)
	s := startSession(t, lib, "media-server-overload", 2)
	waitFor(t, 3*time.Minute, "server CPU above 80 %", func() bool {
		ss := s.Series()
		return len(ss) > 0 && ss[len(ss)-1].ServerCPU > 0.8
	})
	d := s.Dashboard()
	require.NotEmpty(t, d.Servers)
	assert.Equal(t, d.Servers[0].Name, d.Serving, "the primary serves first")

	replies, sum, err := s.Ping(20)
	require.NoError(t, err)
	assert.Len(t, replies, 20)
	assert.Greater(t, sum.Avg, time.Duration(0))
	hops, err := s.Traceroute()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(hops), 4, "device to media server")

	a, err := s.Apply("failover_media_server")
	require.NoError(t, err)
	assert.NotEqual(t, d.Serving, s.Dashboard().Serving, "served by the backup now: %s", a.Outcome)
	waitFor(t, 3*time.Minute, "resolved after failover", func() bool { return s.Status().Resolved })
	assert.Less(t, s.Series()[len(s.Series())-1].ServerCPU, 0.8)
}

// TestSessionNonMediaFaults plays the tickets whose fault is outside the
// media path: the symptom is in the log, a wrong remedy leaves the call
// without media, the right one brings frames back.
func TestSessionNonMediaFaults(t *testing.T) {
	lib := loadLibrary(t)
	for _, tc := range []struct {
		id, wrong, right string
	}{
		{"udp-blocked-corporate-firewall", "lower_resolution_720p", "use_turn_relay"},
		{"primary-signaling-down", "switch_to_wifi", "switch_signaling_domain"},
		{"codec-mismatch-outdated-app", "switch_to_wifi", "update_client"},
		{"signaling-timeout-captive-portal", "failover_media_server", "login_captive_portal"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			sc, err := lib.Scenario(tc.id)
			require.NoError(t, err)
			s := startSession(t, lib, tc.id, 1)
			waitFor(t, 3*time.Minute, "the log evidence", func() bool {
				return sc.Answer.Evidence.LogsMatch(logLines(s))
			})
			_, _ = s.Apply(tc.wrong) // may fail: a wrong remedy on a broken call
			waitSeries(t, s, s.Offset()+3*time.Second)
			assert.Less(t, lastFPS(s), 1.0, "no video after a wrong remedy")
			_, err = s.Apply(tc.right)
			require.NoError(t, err)
			waitFor(t, 3*time.Minute, "frames after the right remedy", func() bool { return lastFPS(s) > 15 })
		})
	}
}

func logLines(s *simulator.Session) []string {
	var out []string
	for _, e := range s.Log() {
		out = append(out, e.Message)
	}
	return out
}

func lastFPS(s *simulator.Session) float64 {
	ss := s.Series()
	if len(ss) == 0 {
		return 0
	}
	return ss[len(ss)-1].FramesPerSecond
}
