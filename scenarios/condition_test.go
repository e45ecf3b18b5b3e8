package scenarios

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCondition(t *testing.T) {
	tests := []struct {
		text   string
		metric string
		op     string
		value  float64
		err    string
	}{
		{text: "roundTripTime > 500ms", metric: "roundTripTime", op: ">", value: 0.5},
		{text: "jitter>=30ms", metric: "jitter", op: ">=", value: 0.03},
		{text: "fractionLost > 8%", metric: "fractionLost", op: ">", value: 0.08},
		{text: "fractionLost > 0.08", metric: "fractionLost", op: ">", value: 0.08},
		{text: "serverCpu > 80%", metric: "serverCpu", op: ">", value: 0.8},
		{text: "bitrateIn < 2Mbps", metric: "bitrateIn", op: "<", value: 2e6},
		{text: "framesPerSecond <= 15", metric: "framesPerSecond", op: "<=", value: 15},
		{text: "mos == 4.5", metric: "mos", op: "==", value: 4.5},
		{text: "roundTripTime > 500", err: "roundTripTime is a time"},
		{text: "fractionLost > 8", err: "fractionLost is a fraction"},
		{text: "targetBitrate < 800", err: "targetBitrate is a bitrate"},
		{text: "framesPerSecond > 20fps", err: "framesPerSecond takes a plain number"},
		{text: "rtt > 1s", err: `unknown metric "rtt"`},
		{text: "roundTripTime => 1s", err: "is not a condition"},
		{text: "", err: "is not a condition"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			c, err := ParseCondition(tt.text)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.metric, c.Metric)
			assert.Equal(t, tt.op, c.Op)
			assert.InDelta(t, tt.value, c.Value, 1e-12)
		})
	}
}

func mustConditions(tb testing.TB, texts ...string) Conditions {
	tb.Helper()
	cs := make(Conditions, len(texts))
	for i, s := range texts {
		c, err := ParseCondition(s)
		require.NoError(tb, err)
		cs[i] = c
	}
	return cs
}

func TestEvidenceHolds(t *testing.T) {
	ev := Evidence{Metrics: mustConditions(t, "fractionLost > 8%", "roundTripTime > 500ms")}
	tests := []struct {
		name    string
		metrics map[string]float64
		want    bool
	}{
		{name: "both cross", metrics: map[string]float64{"fractionLost": 0.12, "roundTripTime": 0.61}, want: true},
		{name: "loss on the threshold", metrics: map[string]float64{"fractionLost": 0.08, "roundTripTime": 0.61}, want: false},
		{name: "rtt too low", metrics: map[string]float64{"fractionLost": 0.12, "roundTripTime": 0.2}, want: false},
		{name: "metric missing", metrics: map[string]float64{"fractionLost": 0.12}, want: false},
		{name: "NaN is no evidence", metrics: map[string]float64{"fractionLost": math.NaN(), "roundTripTime": 0.61}, want: false},
		{name: "extra metrics ignored", metrics: map[string]float64{"fractionLost": 0.2, "roundTripTime": 1, "mos": 2}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ev.Holds(tt.metrics))
		})
	}
	assert.False(t, Evidence{}.Holds(map[string]float64{"mos": 4}), "evidence without metric conditions is never supported by metrics")
}

func TestEvidenceLogsMatch(t *testing.T) {
	lib := loadLibrary(t)
	s, err := lib.Scenario("codec-mismatch-outdated-app")
	require.NoError(t, err)
	ev := s.Answer.Evidence
	tests := []struct {
		name  string
		lines []string
		want  bool
	}{
		{name: "both lines present", want: true, lines: []string{
			"client: negotiation failed: no common video codec",
			"SetRemoteDescription: unable to start track, codec is not supported by remote"}},
		{name: "one missing", lines: []string{"client: negotiation failed: no common video codec"}},
		{name: "no logs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ev.LogsMatch(tt.lines))
		})
	}
}

func TestHealthyBoundsMergeDefaults(t *testing.T) {
	lib := loadLibrary(t)
	s, err := lib.Scenario("far-edge-node-south-china")
	require.NoError(t, err)
	bounds := s.HealthyBounds()
	assert.Equal(t, []string{"fractionLost < 3%", "framesPerSecond >= 20", "mos >= 3.5", "roundTripTime < 80ms"},
		conditionTexts(bounds), "the scenario's own RTT bound replaces the default one")
	assert.True(t, bounds.Holds(map[string]float64{"roundTripTime": 0.03, "fractionLost": 0, "framesPerSecond": 30, "mos": 4.3}))
	assert.False(t, bounds.Holds(map[string]float64{"roundTripTime": 0.2, "fractionLost": 0, "framesPerSecond": 30, "mos": 4.3}))

	plain, err := lib.Scenario("wifi-high-rtt")
	require.NoError(t, err)
	assert.Equal(t, conditionTexts(DefaultHealthy()), conditionTexts(plain.HealthyBounds()))
}

func TestDefaultHealthyMatchesItsText(t *testing.T) {
	for _, c := range DefaultHealthy() {
		t.Run(c.String(), func(t *testing.T) {
			parsed, err := ParseCondition(c.String())
			require.NoError(t, err)
			assert.Equal(t, parsed, c)
		})
	}
}
