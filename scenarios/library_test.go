package scenarios

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLibraryLoadsClean(t *testing.T) {
	lib := loadLibrary(t)
	assert.GreaterOrEqual(t, len(lib.Scenarios()), 15)
	assert.Len(t, lib.Exams(), 2)
	runnable := 0
	for _, s := range lib.Scenarios() {
		t.Run(string(s.ID), func(t *testing.T) {
			assert.Equal(t, string(s.ID)+".yaml", filepath.Base(s.File()), "file is named after its id")
			assert.Len(t, s.ContentHash(), 64)
			if s.RunnableOnMediaEngine() {
				runnable++
				assert.NotEmpty(t, s.Answer.Evidence.Metrics)
			}
		})
	}
	assert.GreaterOrEqual(t, runnable, 6, "enough scenarios for the media engine today")
}

// TestLibraryCoversTheDesk pins the faults the support desk must train on to
// the remedy that resolves each.
func TestLibraryCoversTheDesk(t *testing.T) {
	lib := loadLibrary(t)
	tests := []struct {
		cause, resolves string
		runnable        bool
		check           func(t *testing.T, s *Scenario)
	}{
		{cause: "wifi_congestion", resolves: "switch_to_mobile_data", runnable: true, check: func(t *testing.T, s *Scenario) {
			if len(s.Answer.Contributing) > 0 {
				return // the mixed fault
			}
			assert.Equal(t, "wifi", s.Customer.Network)
			assert.Contains(t, conditionTexts(s.Answer.Evidence.Metrics), "roundTripTime > 500ms")
		}},
		{cause: "wifi_interference_loss", resolves: "switch_to_wired", runnable: true, check: func(t *testing.T, s *Scenario) {
			assert.Contains(t, conditionTexts(s.Answer.Evidence.Metrics), "fractionLost > 10%")
			assert.Contains(t, s.Answer.Accepted, Slug("explain_concealment"))
		}},
		{cause: "uplink_bandwidth_limited", resolves: "lower_resolution_720p", runnable: true},
		{cause: "media_server_overload", resolves: "failover_media_server", check: func(t *testing.T, s *Scenario) {
			assert.Contains(t, conditionTexts(s.Answer.Evidence.Metrics), "serverCpu > 80%")
		}},
		{cause: "captive_portal_blocks_signaling", resolves: "login_captive_portal"},
		{cause: "client_codec_outdated", resolves: "update_client"},
		{cause: "browser_codec_unsupported", resolves: "switch_browser"},
		{cause: "udp_blocked_by_firewall", resolves: "use_turn_relay"},
		{cause: "primary_signaling_down", resolves: "switch_signaling_domain"},
		{cause: "sales_peak_capacity", resolves: "scale_out_with_eta", check: func(t *testing.T, s *Scenario) {
			assert.Contains(t, s.Answer.Harmful, Slug("promise_instant_fix"), "an honest ETA, not a false promise")
		}},
		{cause: "far_edge_node", resolves: "move_edge_node_guangzhou", runnable: true, check: func(t *testing.T, s *Scenario) {
			assert.Equal(t, Slug("beijing"), s.Customer.EdgeNode)
		}},
		{cause: "ios_echo_cancellation_bug", resolves: "escalate_with_logs", check: func(t *testing.T, s *Scenario) {
			assert.True(t, s.Answer.Escalate)
			assert.Equal(t, "ios", s.Customer.Device)
		}},
		{cause: "camera_off_by_user", resolves: "kb_camera_guide", check: func(t *testing.T, s *Scenario) {
			for _, fix := range []Slug{"switch_to_mobile_data", "switch_to_wired", "use_turn_relay"} {
				assert.Contains(t, s.Answer.Harmful, fix, "a network fix is harmful on a healthy call")
			}
		}},
		{cause: "wifi_interference_jitter", resolves: "switch_to_wired", runnable: true},
		{cause: "weak_mobile_signal", resolves: "switch_to_wifi", runnable: true},
		{cause: "unstable_wifi_roaming", resolves: "switch_to_mobile_data", runnable: true},
		{cause: "media_server_down", resolves: "failover_media_server"},
	}
	for _, tt := range tests {
		t.Run(tt.cause, func(t *testing.T) {
			var found []*Scenario
			for _, s := range lib.Scenarios() {
				if string(s.Answer.RootCause) == tt.cause {
					found = append(found, s)
				}
			}
			require.NotEmpty(t, found, "no scenario has root cause %s", tt.cause)
			for _, s := range found {
				assert.Contains(t, s.Answer.Resolves, Slug(tt.resolves), s.ID)
				if tt.runnable {
					assert.True(t, s.RunnableOnMediaEngine(), s.ID)
				} else {
					assert.NotEmpty(t, s.NonMediaFaults(), s.ID)
				}
				if tt.check != nil {
					tt.check(t, s)
				}
			}
		})
	}
	mixed := slices.ContainsFunc(lib.Scenarios(), func(s *Scenario) bool {
		return len(s.Answer.Contributing) >= 2 && s.RunnableOnMediaEngine()
	})
	assert.True(t, mixed, "one runnable mixed fault with contributing causes")
}

func conditionTexts(cs Conditions) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// copyLibrary builds a library directory from named files of scenarios.d
// plus extra content.
func copyLibrary(tb testing.TB, files map[string]string, extra map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	for dst, src := range files {
		require.NoError(tb, os.WriteFile(filepath.Join(dir, dst), readFile(tb, filepath.Join(libraryDir, src)), 0o644))
	}
	for dst, content := range extra {
		require.NoError(tb, os.MkdirAll(filepath.Dir(filepath.Join(dir, dst)), 0o755))
		require.NoError(tb, os.WriteFile(filepath.Join(dir, dst), []byte(content), 0o644))
	}
	return dir
}

func TestLoadKeepsGoingPastBrokenFiles(t *testing.T) {
	dir := copyLibrary(t, map[string]string{
		"catalog.yaml": "catalog.yaml",
		"a.yaml":       "wifi-high-rtt.yaml",
		"b.yaml":       "wifi-high-rtt.yaml",
		"c.yaml":       "far-edge-node-south-china.yaml",
	}, map[string]string{
		"broken.yaml":       "# yaml-language-server: $schema=./schema.json\nid: [oops\n",
		"notes.txt":         "not a scenario",
		"exams/weekly.yaml": "# yaml-language-server: $schema=../exam.schema.json\nid: weekly\ntitle: {zh: 周测, en: Weekly}\nmode: exam\nscenarios: [wifi-high-rtt, far-edge-node-south-china]\ndraw: 2\ntime_limit: 10m\npass_mark: 70%\nreview: after_submit\n",
	})
	lib, err := Load(dir)
	require.NoError(t, err)

	var ids []string
	for _, s := range lib.Scenarios() {
		ids = append(ids, string(s.ID))
	}
	assert.Equal(t, []string{"far-edge-node-south-china", "wifi-high-rtt"}, ids)
	a, err := lib.Scenario("wifi-high-rtt")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "a.yaml"), a.File(), "the first file keeps the id")
	assert.Len(t, lib.Exams(), 1)

	lines := problemLines(lib.Problems())
	require.Len(t, lines, 2)
	assert.Equal(t, filepath.Join(dir, "b.yaml")+`:2:5: id: duplicate scenario id "wifi-high-rtt", first defined at `+
		filepath.Join(dir, "a.yaml")+":2:5", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], filepath.Join(dir, "broken.yaml")+":2:1: YAML syntax: "), lines[1])
}

func TestLoadWithoutCatalog(t *testing.T) {
	dir := copyLibrary(t, map[string]string{"wifi-high-rtt.yaml": "wifi-high-rtt.yaml"}, nil)
	lib, err := Load(dir)
	require.NoError(t, err)
	assert.Nil(t, lib.Catalog())
	assert.Len(t, lib.Scenarios(), 1, "scenarios still load; only id checks are skipped")
	lines := problemLines(lib.Problems())
	require.Len(t, lines, 1)
	assert.Contains(t, lines[0], "catalog.yaml:1:1: no catalog, so cause and remedy ids go unchecked")
}

func TestLoadMissingDirectory(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "load ")
}

func TestLookupsReturnErrors(t *testing.T) {
	lib := loadLibrary(t)
	_, err := lib.Scenario("no-such")
	assert.Error(t, err)
	_, err = lib.Exam("no-such")
	assert.Error(t, err)
	_, err = lib.Catalog().Cause("no_such")
	assert.Error(t, err)
	_, err = lib.Catalog().Remedy("no_such")
	assert.Error(t, err)
	r, err := lib.Catalog().Remedy("scale_out_with_eta")
	require.NoError(t, err)
	assert.Equal(t, "scale_out", r.Effect.Kind)
	assert.Equal(t, "1m0s", r.Effect.After.Std().String())
}

func TestCheck(t *testing.T) {
	dir := copyLibrary(t, map[string]string{
		"catalog.yaml": "catalog.yaml",
		"a.yaml":       "wifi-high-rtt.yaml",
		"b.yaml":       "wifi-high-rtt.yaml",
	}, map[string]string{
		"exams/weekly.yaml": "# yaml-language-server: $schema=../exam.schema.json\nid: weekly\ntitle: {zh: 周测, en: Weekly}\nmode: exam\nscenarios: [wifi-high-rtt, far-edge-node-south-china]\ndraw: 2\ntime_limit: 10m\npass_mark: 70%\nreview: after_submit\n",
		"drafts/new.yaml": strings.Replace(string(readFile(t, filepath.Join(libraryDir, "wifi-high-rtt.yaml"))),
			"id: wifi-high-rtt\n", "id: new-draft\ncolour: red\n", 1),
	})
	outside := filepath.Join(t.TempDir(), "lonely.yaml")
	require.NoError(t, os.WriteFile(outside, readFile(t, filepath.Join(libraryDir, "wifi-high-rtt.yaml")), 0o644))
	tests := []struct {
		name string
		path string
		want []string
	}{
		{name: "the real library", path: libraryDir},
		{name: "a valid file", path: filepath.Join(libraryDir, "camera-off-kb-answer.yaml")},
		{name: "a file outside any library", path: outside},
		{name: "the first of two files sharing an id", path: filepath.Join(dir, "a.yaml")},
		{name: "the second of two files sharing an id", path: filepath.Join(dir, "b.yaml"), want: []string{
			filepath.Join(dir, "b.yaml") + `:2:5: id: duplicate scenario id "wifi-high-rtt", first defined at ` + filepath.Join(dir, "a.yaml") + ":2:5"}},
		{name: "an exam whose pool lost a scenario", path: filepath.Join(dir, "exams", "weekly.yaml"), want: []string{
			filepath.Join(dir, "exams", "weekly.yaml") + `:5:28: scenarios[1]: no valid scenario "far-edge-node-south-china" in the library`,
			filepath.Join(dir, "exams", "weekly.yaml") + ":6:7: draw: draws 2 but only 1 valid scenario(s) match"}},
		{name: "a file the library does not load", path: filepath.Join(dir, "drafts", "new.yaml"), want: []string{
			filepath.Join(dir, "drafts", "new.yaml") + `:3:1: colour: unknown field "colour"; known fields: ` +
				"id, version, title, complaint, difficulty, tags, handling_time, customer, duration, timeline, healthy, answer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := Check(tt.path)
			require.NoError(t, err)
			lines := problemLines(ps)
			if tt.want == nil {
				assert.Empty(t, lines)
				return
			}
			assert.Equal(t, tt.want, lines)
		})
	}
	_, err := Check(filepath.Join(dir, "missing.yaml"))
	assert.Error(t, err)
}

func TestLoadFileFindsItsCatalog(t *testing.T) {
	unknownCause := strings.Replace(string(readFile(t, filepath.Join(libraryDir, "wifi-high-rtt.yaml"))),
		"root_cause: wifi_congestion", "root_cause: cosmic_rays", 1)
	inLibrary := copyLibrary(t, map[string]string{"catalog.yaml": "catalog.yaml"}, map[string]string{"x.yaml": unknownCause})
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "x.yaml"), []byte(unknownCause), 0o644))
	tests := []struct {
		name string
		path string
		err  string
	}{
		{name: "library scenario", path: filepath.Join(libraryDir, "wifi-high-rtt.yaml")},
		{name: "checked against its catalog", path: filepath.Join(inLibrary, "x.yaml"),
			err: filepath.Join(inLibrary, "x.yaml") + `:29:15: answer.root_cause: unknown cause "cosmic_rays" (not in the catalog)`},
		{name: "no library, no id checks", path: filepath.Join(outside, "x.yaml")},
		{name: "missing file", path: filepath.Join(outside, "nope.yaml"), err: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadFile(tt.path)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				assert.Nil(t, s)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "wifi-high-rtt", string(s.ID))
		})
	}
}
