package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestRunJSON(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var out, errOut bytes.Buffer
	code := dispatch(context.Background(), []string{"run", "--down-loss", "20%", "--delay", "30ms",
		"--duration", "4s", "--json", "--seed", "2"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())

	var samples []map[string]any
	var final Summary
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.Contains(line, []byte(`"configured"`)) {
			require.NoError(t, json.Unmarshal(line, &final))
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal(line, &m), string(line))
		samples = append(samples, m)
	}
	require.GreaterOrEqual(t, len(samples), 2, "one object per second")
	for _, name := range []string{"roundTripTime", "fractionLost", "jitter", "framesPerSecond", "mos", "targetBitrate"} {
		assert.Contains(t, samples[len(samples)-1], name)
	}
	assert.InDelta(t, 0.20, final.Configured.Downlink.Loss, 1e-9)
	assert.InDelta(t, 0.0, final.Configured.Uplink.Loss, 1e-9, "--down-* sets the downlink only")
	assert.InDelta(t, 0.060, final.Configured.ExpectedRoundTripTime, 1e-9, "--delay sets both ways")
	assert.Greater(t, final.Measured.NetworkLoss, 0.05, "the network dropped packets")
}

func TestRunTableAndScenario(t *testing.T) {
	var out, errOut bytes.Buffer
	code := dispatch(context.Background(), []string{"run", "../../scenarios.d/wifi-high-rtt.yaml", "--seed", "3",
		"--duration", "3s"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	s := out.String()
	assert.Contains(t, s, "scenario wifi-high-rtt")
	assert.Contains(t, s, "RTT ms")
	assert.Contains(t, s, "summary after")
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--loss", "120%"},
		{"run", "--delay", "fast"},
		{"run", "--rate", "800"},
		{"run", "--resolution", "4k"},
		{"run", "--burst", "1,2"},
		{"bench", "--repeat", "0"},
		{"bench", "--n", "10,x"},
	} {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := dispatch(context.Background(), args, &out, &errOut)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, errOut.String(), strings.TrimPrefix(args[1], "--"), "the error names the flag")
		})
	}
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"run", "bench", "validate", "serve"} {
		var out, errOut bytes.Buffer
		code := dispatch(context.Background(), []string{cmd, "--help"}, &out, &errOut)
		assert.Equal(t, 0, code, cmd)
		assert.Contains(t, out.String()+errOut.String(), "Usage", cmd)
	}
}
