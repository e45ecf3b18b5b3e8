package scenarios

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// invalidCases is the expected output for every file in testdata/invalid:
// all problems of a file at once, each at its line and column. Files named
// catalog-* are catalogs, exam-* exams, the rest scenarios.
var invalidCases = map[string][]string{
	"alias_bomb.yaml":  {"alias_bomb.yaml:6:5: document expands to more than 50000 nodes (aliases included)"},
	"alias_cycle.yaml": {"alias_cycle.yaml:4:7: anchor &t is used inside itself"},
	"bad_evidence.yaml": {
		`bad_evidence.yaml:17:11: healthy[0]: roundTripTime is a time: "300" is not a duration like 150ms, 2s or 3m`,
		`bad_evidence.yaml:23:15: answer.evidence.metrics[0]: unknown metric "rtt"; known: ` + strings.Join(MetricNames(), ", "),
		`bad_evidence.yaml:23:30: answer.evidence.metrics[1]: fractionLost is a fraction: write 8% or a number from 0 to 1, not "8"`,
		`bad_evidence.yaml:23:50: answer.evidence.metrics[2]: bitrateIn is a bitrate: "500" is not a bitrate like 800kbps or 2Mbps`,
		`bad_evidence.yaml:23:69: answer.evidence.metrics[3]: mos takes a plain number, not "3.5x"`,
		`bad_evidence.yaml:23:84: answer.evidence.metrics[4]: "roundTripTime is high" is not a condition like "roundTripTime > 500ms"`,
		"bad_evidence.yaml:24:12: answer.evidence.logs[0]: bad regular expression: error parsing regexp: missing closing ): `ICE (failed`",
	},
	"bad_values.yaml": {
		"bad_values.yaml:16:20: timeline[0].uplink.loss: range 15%..8% must go from low to high",
		`bad_values.yaml:16:36: timeline[0].uplink.delay: "100" is not a duration like 150ms, 2s or 3m (each end of a range carries its unit)`,
		"bad_values.yaml:16:54: timeline[0].uplink.rate: an empty list offers no choice; expected a bitrate like 800kbps or 2Mbps",
		"bad_values.yaml:16:72: timeline[0].uplink.jitter: expected a duration like 150ms, 2s or 3m, got the number 10",
		`bad_values.yaml:16:84: timeline[0].uplink.queue: "100 ms" is not a duration like 150ms, 2s or 3m`,
		`bad_values.yaml:17:22: timeline[0].downlink.rate: "2mbps" is not a bitrate like 800kbps or 2Mbps`,
		`bad_values.yaml:17:42: timeline[0].downlink.burst_bytes: "30kb" is not a size like 1500B, 30KB or 1MiB`,
		"bad_values.yaml:17:55: timeline[0].downlink.delay: expected a duration like 150ms, 2s or 3m, a range lo..hi or a list of choices, got the number 0",
	},
	"catalog-bad.yaml": {
		"catalog-bad.yaml:2:10: version: 0 is below the minimum 1",
		`catalog-bad.yaml:7:9: causes[1].id: id "wifi_congestion" is already used at line 4`,
		`catalog-bad.yaml:8:12: causes[1].layer: "weather" is not one of: network, server, signaling, client, device, none`,
		`catalog-bad.yaml:14:42: remedies[0].effect.to: effect lower_resolution goes to one of [720p 540p 360p], not "4k"`,
		`catalog-bad.yaml:18:13: remedies[1].effect: effect scale_out needs "after"`,
		"catalog-bad.yaml:18:35: remedies[1].effect.to: effect scale_out takes no target",
		`catalog-bad.yaml:19:9: remedies[2].id: id "wifi_congestion" is already used at line 4`,
		"catalog-bad.yaml:22:13: remedies[2].effect: effect update_client needs the codecs the new client offers",
		`catalog-bad.yaml:26:20: remedies[3].effect.kind: "teleport" is not one of: switch_network_type, lower_resolution, use_turn_relay, failover_media_server, scale_out, switch_signaling_domain, reset_session, update_client, switch_browser, move_edge_node, escalate, kb_answer, no_action`,
	},
	"escalation.yaml": {
		"escalation.yaml:18:18: timeline[0].faults.signaling: mode slow needs a delay",
		`escalation.yaml:22:33: answer.harmful[1]: remedy "use_headset" is already in resolves`,
		"escalation.yaml:23:13: answer.escalate: escalate is true, so a resolving remedy must escalate",
		"escalation.yaml:24:13: answer.evidence: needs at least one metric condition or log pattern",
	},
	"exam-bad.yaml": {
		`exam-bad.yaml:5:28: scenarios[1]: no valid scenario "no-such-scenario" in the library`,
		`exam-bad.yaml:6:8: tags[0]: no valid scenario carries tag "nonexistent-tag"`,
		"exam-bad.yaml:7:7: draw: draws 40 but only 1 valid scenario(s) match",
		"exam-bad.yaml:8:13: time_limit: must be longer than 0s",
		"exam-bad.yaml:9:12: pass_mark: 180% is over 100%",
		"exam-bad.yaml:10:9: review: an exam cannot reveal answers before it is submitted",
	},
	"exam-empty.yaml": {
		"exam-empty.yaml:2:1: scenarios: name scenarios or tags to draw from",
		"exam-empty.yaml:5:7: draw: 0 is below the minimum 1",
		"exam-empty.yaml:7:12: pass_mark: must be above 0%",
		"exam-empty.yaml:8:9: review: practice exists to show answers; never leaves the trainee guessing",
	},
	"inconsistent_impairment.yaml": {
		"inconsistent_impairment.yaml:18:14: timeline[0].uplink.burst: use loss or burst, not both: burst is a loss model of its own",
		"inconsistent_impairment.yaml:18:25: timeline[0].uplink.burst.r: must be above 0%: the model would never leave the bad state",
		"inconsistent_impairment.yaml:19:21: timeline[0].uplink.distribution: a distribution needs jitter",
		"inconsistent_impairment.yaml:20:14: timeline[0].uplink.queue: queue needs a rate",
		"inconsistent_impairment.yaml:22:25: timeline[0].downlink.reorder: reorder needs jitter",
		"inconsistent_impairment.yaml:22:44: timeline[0].downlink.burst_bytes: burst_bytes needs a rate",
	},
	"media_without_metrics.yaml": {
		"media_without_metrics.yaml:18:38: timeline[0].faults.signaling.delay: only mode slow takes a delay",
		`media_without_metrics.yaml:20:15: answer.root_cause: unknown cause "packet_gremlins" (not in the catalog)`,
		"media_without_metrics.yaml:24:5: answer.evidence.metrics: the media engine plays this scenario, so name a metric its symptom shows in",
	},
	"merge_and_duplicates.yaml": {
		`merge_and_duplicates.yaml:8:1: difficulty: field "difficulty" is written twice (first at line 6)`,
		"merge_and_duplicates.yaml:19:7: timeline[0].downlink.<<: merge keys (<<) are not supported: write the fields out, or alias a whole value",
	},
	"missing_fields.yaml": {
		`missing_fields.yaml:2:1: answer: missing required field "answer"`,
		`missing_fields.yaml:2:1: complaint: missing required field "complaint"`,
		`missing_fields.yaml:4:8: title.en: missing required field "en"`,
		`missing_fields.yaml:14:5: timeline[0].at: missing required field "at"`,
	},
	"no_header.yaml": {
		`no_header.yaml:1:1: first line must be "# yaml-language-server: $schema=..." ending in schema.json so editors check the file`,
	},
	"out_of_range.yaml": {
		"out_of_range.yaml:16:20: timeline[0].uplink.loss: 120% is over 100%",
		`out_of_range.yaml:16:33: timeline[0].uplink.delay: "-5ms" must not be negative`,
		"out_of_range.yaml:17:22: timeline[0].downlink.rate: a rate under 8kbps carries no media; write outage: true instead",
		"out_of_range.yaml:17:36: timeline[0].downlink.delay: over 10s one way is no longer a call",
		"out_of_range.yaml:17:52: timeline[0].downlink.duplicate: 100.5% is over 100%",
	},
	"phases_out_of_order.yaml": {
		"phases_out_of_order.yaml:15:9: timeline[0].at: the first phase starts at 0s",
		"phases_out_of_order.yaml:19:9: timeline[2].at: phases must start in order: 5s is not after the previous phase's 10s",
		"phases_out_of_order.yaml:21:9: timeline[3].at: the phase (with its ramp) must start before the call ends at 30s",
	},
	"ramps.yaml": {
		"ramps.yaml:16:11: timeline[0].ramp: the first phase cannot ramp: nothing comes before it",
		"ramps.yaml:21:9: timeline[2].at: the previous phase's ramp runs until 18s, past this start",
	},
	"syntax_error.yaml": {"syntax_error.yaml:4:1: YAML syntax: did not find expected ',' or '}'"},
	"too_deep.yaml":     {"too_deep.yaml:3:39: nesting deeper than 32 levels"},
	"two_documents.yaml": {
		"two_documents.yaml:26:1: a file holds one YAML document; remove this second one",
	},
	"unknown_fields.yaml": {
		`unknown_fields.yaml:8:1: titel: unknown field "titel"; did you mean "title"?`,
		`unknown_fields.yaml:17:28: timeline[0].uplink.jiter: unknown field "jiter"; did you mean "jitter"?`,
		`unknown_fields.yaml:18:5: timeline[0].sidechannel: unknown field "sidechannel"; known fields: at, ramp, uplink, downlink, faults`,
	},
	"unknown_ids.yaml": {
		`unknown_ids.yaml:19:33: answer.contributing[1]: "wifi_congestion" is already the root cause`,
		`unknown_ids.yaml:19:50: answer.contributing[2]: unknown cause "wifi_gremlins" (not in the catalog)`,
		`unknown_ids.yaml:20:14: answer.resolves[0]: unknown remedy "reboot_router" (not in the catalog)`,
		`unknown_ids.yaml:21:14: answer.accepted[0]: remedy "switch_to_mobile_data" is already in resolves`,
		`unknown_ids.yaml:22:13: answer.harmful[0]: unknown remedy "format_disk" (not in the catalog)`,
	},
	"wrong_types.yaml": {
		`wrong_types.yaml:3:10: version: expected a whole number, got "one"`,
		`wrong_types.yaml:5:12: complaint: expected a mapping with the fields zh, en, got "Stutters"`,
		`wrong_types.yaml:8:7: tags: expected a list, got "wifi"`,
		`wrong_types.yaml:11:51: customer.client.version: expected text, got the number 16.4 (quote it: "16.4")`,
		`wrong_types.yaml:17:37: timeline[0].uplink.reorder: expected true or false, got "yes"`,
		"wrong_types.yaml:18:15: timeline[0].downlink: expected a mapping with the fields loss, burst, delay, jitter, distribution, reorder, rate, burst_bytes, queue, duplicate, outage, got a list",
	},
}

func TestInvalidFiles(t *testing.T) {
	lib := loadLibrary(t)
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	require.NoError(t, err)
	require.Len(t, files, len(invalidCases), "every invalid file needs its expectation, and every expectation its file")
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := invalidCases[name]
			require.True(t, ok, "no expectation for %s", name)
			data := readFile(t, path)
			var err error
			switch {
			case strings.HasPrefix(name, "catalog-"):
				_, err = ParseCatalog(name, data)
			case strings.HasPrefix(name, "exam-"):
				_, err = ParseExam(name, data, lib)
			default:
				_, err = ParseScenario(name, data, lib.Catalog())
			}
			require.Error(t, err)
			assert.Equal(t, want, problemLines(err))
		})
	}
}
