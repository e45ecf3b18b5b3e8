package webui

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// keyProbe finds a scenario's answer key in a response. Some key strings
// must never appear (the explanation, the article, the evidence conditions,
// the scenario id, words that grade remedies); others are catalog entries
// every page lists — the root cause among all causes, the resolving and
// harmful remedies among all remedies — so they must appear exactly as
// often as a twin entry the key does not name: anything more marks them.
type keyProbe struct {
	absent []string
	paired [][2]string
}

func probeOf(tb testing.TB, sc *scenarios.Scenario, cat *scenarios.Catalog, decoyCause, neutralRemedy string) keyProbe {
	tb.Helper()
	var p keyProbe
	ak := sc.Answer
	p.absent = append(p.absent, string(sc.ID), "harmful", "resolves", "resolving", "accepted")
	for _, t := range []scenarios.Text{ak.Explanation, ak.KB.Title, ak.KB.Body} {
		p.absent = append(p.absent, fragments(t.EN)...)
		p.absent = append(p.absent, fragments(t.ZH)...)
	}
	for _, c := range ak.Evidence.Metrics {
		p.absent = append(p.absent, c.String())
	}
	for _, l := range ak.Evidence.Logs {
		p.absent = append(p.absent, l.String())
	}
	cause, err := cat.Cause(string(ak.RootCause))
	require.NoError(tb, err)
	decoy, err := cat.Cause(decoyCause)
	require.NoError(tb, err)
	p.paired = append(p.paired, [2]string{string(cause.ID), string(decoy.ID)},
		[2]string{cause.Name.EN, decoy.Name.EN}, [2]string{cause.Name.ZH, decoy.Name.ZH})
	neutral, err := cat.Remedy(neutralRemedy)
	require.NoError(tb, err)
	for _, ids := range [][]scenarios.Slug{ak.Resolves, ak.Accepted, ak.Harmful} {
		for _, id := range ids {
			r, err := cat.Remedy(string(id))
			require.NoError(tb, err)
			p.paired = append(p.paired, [2]string{string(r.ID), string(neutral.ID)},
				[2]string{r.Name.EN, neutral.Name.EN}, [2]string{r.Name.ZH, neutral.Name.ZH})
		}
	}
	return p
}

// fragments splits a text into its sentences and lines: a page that quoted
// half an explanation would still be caught.
func fragments(text string) []string {
	var out []string
	for _, f := range regexp.MustCompile(`[.。；;:：\n]`).Split(text, -1) {
		if f = strings.TrimSpace(f); len([]rune(f)) >= 12 {
			out = append(out, f)
		}
	}
	return out
}

// jsonEscapes undoes the escapes Go's encoding/json writes for HTML safety.
var jsonEscapes = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\"`, `"`)

// leaks lists what of the key a response body shows.
func (p keyProbe) leaks(body string) []string {
	text := html.UnescapeString(jsonEscapes.Replace(body))
	lower := strings.ToLower(text)
	var out []string
	for _, s := range p.absent {
		if strings.Contains(lower, strings.ToLower(s)) {
			out = append(out, "shows "+s)
		}
	}
	for _, pair := range p.paired {
		if k, n := strings.Count(text, pair[0]), strings.Count(text, pair[1]); k != n {
			out = append(out, fmt.Sprintf("marks %s (seen %d times, its twin %s %d)", pair[0], k, pair[1], n))
		}
	}
	return out
}

// seen is one response of a walk.
type seen struct{ what, body string }

func assertNoLeaks(t *testing.T, p keyProbe, walk []seen) {
	t.Helper()
	require.NotEmpty(t, walk)
	for _, r := range walk {
		assert.Empty(t, p.leaks(r.body), "%s leaks the answer key", r.what)
	}
}

func TestKeyProbeFindsTheKey(t *testing.T) {
	lib, err := scenarios.Load(testLibrary(t))
	require.NoError(t, err)
	sc, err := lib.Scenario("wifi-high-rtt")
	require.NoError(t, err)
	p := probeOf(t, sc, lib.Catalog(), "far_edge_node", "update_client")
	tests := []struct {
		name, body string
		leaks      bool
	}{
		{"neutral listing", `<option value="wifi_congestion">x</option><option value="far_edge_node">y</option>`, false},
		{"explanation sentence", "<p>" + html.EscapeString(fragments(sc.Answer.Explanation.EN)[1]) + "</p>", true},
		{"kb body line in JSON", `{"kb":"` + fragments(sc.Answer.KB.Body.ZH)[0] + `"}`, true},
		{"evidence condition escaped", "roundTripTime &gt; 500ms", true},
		{"cause marked", `<option value="wifi_congestion" data-right>`, true},
		{"remedy graded", `{"id":"switch_to_wired","grade":"harmful"}`, true},
		{"scenario id", "/scenarios/wifi-high-rtt", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.leaks, len(p.leaks(tt.body)) > 0, p.leaks(tt.body))
		})
	}
}

// TestTraineeLogHidesTheEngine checks that the engine's own lines (which
// state the injected fault) never reach a trainee, while the app's, the
// servers' and the agent's lines do.
func TestTraineeLogHidesTheEngine(t *testing.T) {
	in := []simulator.Event{
		{Peer: "client", Kind: "ice", Message: "ICE connection state changed: connected"},
		{Peer: enginePeer, Kind: "impair", Message: "downlink impairment set: {Delay:310ms}"},
		{Peer: "media-primary", Kind: "pc", Message: "connected"},
		{Peer: enginePeer, Kind: "fault", Message: "customer UDP blocked: true"},
		{Peer: "agent", Kind: "remedy", Message: "restart_call: call restarted"},
	}
	var peers []string
	for _, e := range traineeLog(in) {
		peers = append(peers, e.Peer)
	}
	assert.Equal(t, []string{"client", "media-primary", "agent"}, peers)
}
