package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeLibrary copies the real catalog into a temporary library and adds
// files, so the command can be run against a broken library.
func writeLibrary(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	catalog, err := os.ReadFile(filepath.Join("..", "..", "scenarios.d", "catalog.yaml"))
	require.NoError(tb, err)
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "catalog.yaml"), catalog, 0o644))
	for name, content := range files {
		require.NoError(tb, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(tb, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

func TestValidateCommand(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("..", "..", "scenarios.d", "wifi-high-rtt.yaml"))
	require.NoError(t, err)
	broken := writeLibrary(t, map[string]string{
		"a.yaml":   string(good),
		"b.yaml":   string(good),
		"bad.yaml": "# yaml-language-server: $schema=./schema.json\nid: bad\nversion: 1\nlatency: 5ms\n",
	})
	invalid := filepath.Join("..", "..", "scenarios", "testdata", "invalid", "out_of_range.yaml")
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string
		stderrHas  string
		stdoutHas  []string
		stdoutNone bool
	}{
		{name: "library is valid", args: []string{"validate", filepath.Join("..", "..", "scenarios.d")},
			code: 0, stdoutNone: true, stderrHas: "1 path(s) valid"},
		{name: "one good file in its library", args: []string{"validate", filepath.Join("..", "..", "scenarios.d", "exams", "certification.yaml")},
			code: 0, stdoutNone: true},
		{name: "invalid file", args: []string{"validate", invalid}, code: 1, stdout: []string{
			invalid + ":16:20: timeline[0].uplink.loss: 120% is over 100%",
			invalid + `:16:33: timeline[0].uplink.delay: "-5ms" must not be negative`,
			invalid + ":17:22: timeline[0].downlink.rate: a rate under 8kbps carries no media; write outage: true instead",
			invalid + ":17:36: timeline[0].downlink.delay: over 10s one way is no longer a call",
			invalid + ":17:52: timeline[0].downlink.duplicate: 100.5% is over 100%",
		}, stderrHas: "5 problem(s)"},
		{name: "broken library reports every file", args: []string{"validate", broken}, code: 1,
			stdoutHas: []string{
				filepath.Join(broken, "b.yaml") + `:2:5: id: duplicate scenario id "wifi-high-rtt", first defined at ` + filepath.Join(broken, "a.yaml") + ":2:5",
				filepath.Join(broken, "bad.yaml") + `:4:1: latency: unknown field "latency"; known fields: ` +
					"id, version, title, complaint, difficulty, tags, handling_time, customer, duration, timeline, healthy, answer",
			}},
		{name: "single file sees duplicates in its library", args: []string{"validate", filepath.Join(broken, "b.yaml")}, code: 1,
			stdout: []string{filepath.Join(broken, "b.yaml") + `:2:5: id: duplicate scenario id "wifi-high-rtt", first defined at ` + filepath.Join(broken, "a.yaml") + ":2:5"}},
		{name: "missing path", args: []string{"validate", filepath.Join(broken, "nope.yaml")}, code: 1,
			stdoutNone: true, stderrHas: "nope.yaml"},
		{name: "help", args: []string{"validate", "--help"}, code: 0, stdoutNone: true, stderrHas: "Usage: rtcdrill validate [paths...]"},
		{name: "bad flag", args: []string{"validate", "--nope"}, code: 2, stdoutNone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := dispatch(context.Background(), tt.args, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
			if tt.stdout != nil {
				assert.Equal(t, tt.stdout, lines)
			}
			if tt.stdoutNone {
				assert.Empty(t, stdout.String())
			}
			for _, want := range tt.stdoutHas {
				assert.Contains(t, lines, want)
			}
			assert.Contains(t, stderr.String(), tt.stderrHas)
		})
	}
}

func TestValidateDefaultsToScenariosD(t *testing.T) {
	dir := t.TempDir()
	lib := writeLibrary(t, map[string]string{"x.yaml": "id: x\n"})
	require.NoError(t, os.Rename(lib, filepath.Join(dir, "scenarios.d")))
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := dispatch(context.Background(), []string{"validate"}, &stdout, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout.String(), filepath.Join("scenarios.d", "x.yaml")+":1:1: first line must be")
}
