package simulator_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// TestMetricsCoverScenarioNames keeps the engine and the scenario format in
// step: every metric a condition may name is one the engine reports, under
// the same name as the sample's JSON.
func TestMetricsCoverScenarioNames(t *testing.T) {
	m := simulator.Sample{}.Metrics()
	b, err := json.Marshal(simulator.Sample{})
	require.NoError(t, err)
	var asJSON map[string]any
	require.NoError(t, json.Unmarshal(b, &asJSON))
	for _, name := range scenarios.MetricNames() {
		assert.Contains(t, m, name, "Sample.Metrics lacks %s", name)
		assert.Contains(t, asJSON, name, "the sample's JSON lacks %s", name)
	}
}

func TestSmoothedMetrics(t *testing.T) {
	w := []simulator.Sample{{RoundTripTime: 0.1, FreezeCount: 1}, {RoundTripTime: 0.2, FreezeCount: 2}, {RoundTripTime: 0.6, FreezeCount: 5}}
	m := simulator.SmoothedMetrics(w)
	assert.InDelta(t, 0.3, m["roundTripTime"], 1e-12, "levels are averaged")
	assert.InDelta(t, 5, m["freezeCount"], 1e-12, "counters come from the newest sample")
	assert.Empty(t, simulator.SmoothedMetrics(nil))
}
