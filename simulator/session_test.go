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
}
