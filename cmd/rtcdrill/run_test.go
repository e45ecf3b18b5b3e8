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
	for _, tt := range []struct {
		args []string
		want string // the flag and the value at fault
	}{
		{[]string{"run", "--loss", "120%"}, `--loss "120%"`},
		{[]string{"run", "--delay", "fast"}, `--delay "fast"`},
		{[]string{"run", "--rate", "800"}, `--rate "800"`},
		{[]string{"run", "--resolution", "4k"}, `--resolution: rendition "4k"`},
		{[]string{"run", "--burst", "1,2"}, `--burst "1,2"`},
		{[]string{"bench", "--repeat", "0"}, "--repeat: 0"},
		{[]string{"bench", "--n", "10,x"}, `--n: "x"`},
	} {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := dispatch(context.Background(), tt.args, &out, &errOut)
			assert.Equal(t, 2, code, "a usage error")
			assert.Contains(t, errOut.String(), tt.want, "the error names the flag and the value")
		})
	}
}

// TestBenchContinuousAudio runs the smallest benchmark with --dtx=false: the
// report says what the talkers sent.
func TestBenchContinuousAudio(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var out, errOut bytes.Buffer
	code := dispatch(context.Background(), []string{"bench", "--n", "1", "--duration", "500ms", "--dtx=false", "--json"},
		&out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	var rep struct {
		Audio    string
		Impaired []struct{ Calls int }
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep), out.String())
	assert.Equal(t, "continuous", rep.Audio)
	require.Len(t, rep.Impaired, 1)
	assert.Equal(t, 1, rep.Impaired[0].Calls)
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"run", "bench", "validate", "serve"} {
		var out, errOut bytes.Buffer
		code := dispatch(context.Background(), []string{cmd, "--help"}, &out, &errOut)
		assert.Equal(t, 0, code, cmd)
		assert.Contains(t, out.String()+errOut.String(), "Usage", cmd)
	}
}
