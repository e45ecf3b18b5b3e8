package webui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

const testMetricsToken = "scrape-token-7f3a9c1e5b2d4086"

// scraper reads /metrics over HTTP, without keep-alive so that no idle
// connection outlives the test (goleak).
type scraper struct {
	tb   testing.TB
	base string
	http *http.Client
}

func newScraper(tb testing.TB, base string) *scraper {
	return &scraper{tb: tb, base: base, http: &http.Client{
		Timeout: time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}}
}

// get requests path with the given header and returns the status and body.
func (s *scraper) get(path string, header http.Header) (int, string) {
	s.tb.Helper()
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	require.NoError(s.tb, err)
	req.Header = header.Clone()
	resp, err := s.http.Do(req)
	require.NoError(s.tb, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.tb, err)
	return resp.StatusCode, string(b)
}

// scrape reads /metrics in the text format and parses it as Prometheus
// would.
func (s *scraper) scrape(header http.Header) map[string]*dto.MetricFamily {
	s.tb.Helper()
	code, body := s.get("/metrics", header)
	require.Equal(s.tb, http.StatusOK, code, body)
	return parseMetrics(s.tb, body)
}

func parseMetrics(tb testing.TB, text string) map[string]*dto.MetricFamily {
	tb.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	require.NoError(tb, err, "the scrape parses as the text format")
	return fams
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

func sessionHeader(tb testing.TB, app *testApp, u store.User) http.Header {
	tb.Helper()
	token, _, err := app.st.CreateSession(context.Background(), u.ID, time.Hour)
	require.NoError(tb, err)
	return http.Header{"Cookie": {sessionCookie + "=" + token}}
}

// labelsOf is a metric's labels as a map.
func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// valueOf is a gauge's or counter's value.
func valueOf(m *dto.Metric) float64 {
	if m.GetGauge() != nil {
		return m.GetGauge().GetValue()
	}
	return m.GetCounter().GetValue()
}

// callMetric finds the series of a family for one call's labels.
func callMetric(fams map[string]*dto.MetricFamily, name string, want map[string]string) (*dto.Metric, bool) {
	for _, m := range fams[name].GetMetric() {
		got := labelsOf(m)
		match := true
		for k, v := range want {
			match = match && got[k] == v
		}
		if match {
			return m, true
		}
	}
	return nil, false
}

// TestMetricsScrapeLiveCall scrapes the real server over HTTP while a
// trainee's practice call runs: the call's figures appear under its labels
// with plausible values, the app's own metrics are there, the HTTP
// histogram is keyed by route templates, and the dashboard and the alert
// rule name only metrics the app exports.
func TestMetricsScrapeLiveCall(t *testing.T) {
	verifyNoLeaks(t)
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t), MetricsToken: testMetricsToken})
	trainee := app.mkUser(t, "tia", store.RoleTrainee)
	admin := app.mkUser(t, "ada", store.RoleAdmin)
	c := app.signedIn(t, trainee)
	attemptID := startPractice(t, c)
	require.Equal(t, http.StatusOK, c.get(itemPath(attemptID, 0)).Code)
	a, err := app.st.Attempt(t.Context(), attemptID)
	require.NoError(t, err)
	itemID := a.Items[0].ID
	app.waitLive(t, itemID, 2)
	sc := newScraper(t, serve(t, app))
	call := map[string]string{"attempt": strconv.FormatUint(uint64(attemptID), 10),
		"item": strconv.FormatUint(uint64(itemID), 10), "scenario": "wifi-high-rtt", "edge": "shanghai"}

	perCall := []string{"rtcdrill_call_round_trip_time_seconds", "rtcdrill_call_packet_loss_ratio",
		"rtcdrill_call_jitter_seconds", "rtcdrill_call_bitrate_bits_per_second", "rtcdrill_call_frames_per_second",
		"rtcdrill_call_freezes_total", "rtcdrill_call_mos", "rtcdrill_call_end_to_end_delay_seconds",
		"rtcdrill_call_first_frame_seconds", "rtcdrill_call_signaling_errors_total",
		"rtcdrill_media_server_cpu_ratio", "rtcdrill_media_server_memory_ratio", "rtcdrill_media_server_connections"}
	var fams map[string]*dto.MetricFamily
	require.Eventually(t, func() bool {
		fams = sc.scrape(bearer(testMetricsToken))
		for _, name := range perCall {
			if _, ok := callMetric(fams, name, call); !ok {
				return false
			}
		}
		return true
	}, time.Minute, 250*time.Millisecond, "every per-call metric appears with the call's labels")

	t.Run("the call's figures are plausible", func(t *testing.T) {
		tests := []struct {
			name     string
			extra    map[string]string
			min, max float64
		}{
			// wifi-high-rtt puts 280-340 ms (plus jitter) each way on the
			// path from the start, and 1-2 % loss: its evidence is an RTT
			// above 500 ms. Media cannot arrive sooner than one way.
			{"rtcdrill_call_round_trip_time_seconds", nil, 0.5, 1.5},
			{"rtcdrill_call_end_to_end_delay_seconds", nil, 0.28, 3},
			{"rtcdrill_call_first_frame_seconds", nil, 0.28, 30},
			{"rtcdrill_call_mos", nil, 1, 4.5},
			{"rtcdrill_call_packet_loss_ratio", nil, 0, 0.1},
			// 720p video tops out at 1.2 Mbit/s; audio alone is ~30 kbit/s.
			{"rtcdrill_call_bitrate_bits_per_second", map[string]string{"direction": "in"}, 2e4, 2e6},
			{"rtcdrill_media_server_cpu_ratio", map[string]string{"role": "primary"}, 0.01, 1},
			{"rtcdrill_media_server_connections", map[string]string{"role": "primary"}, 1, 1e6},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				want := map[string]string{}
				for k, v := range call {
					want[k] = v
				}
				for k, v := range tt.extra {
					want[k] = v
				}
				m, ok := callMetric(fams, tt.name, want)
				require.True(t, ok, "series %v", want)
				assert.GreaterOrEqual(t, valueOf(m), tt.min)
				assert.LessOrEqual(t, valueOf(m), tt.max)
			})
		}
		assert.Equal(t, dto.MetricType_COUNTER, fams["rtcdrill_call_freezes_total"].GetType())
		assert.Equal(t, dto.MetricType_GAUGE, fams["rtcdrill_call_round_trip_time_seconds"].GetType())
	})

	t.Run("app metrics", func(t *testing.T) {
		assert.Equal(t, 1.0, fams["rtcdrill_live_calls"].GetMetric()[0].GetGauge().GetValue())
		assert.Equal(t, 8.0, fams["rtcdrill_live_calls_max"].GetMetric()[0].GetGauge().GetValue())
		practice, ok := callMetric(fams, "rtcdrill_active_attempts", map[string]string{"mode": "practice"})
		require.True(t, ok)
		assert.Equal(t, 1.0, valueOf(practice))
		for _, name := range []string{"go_goroutines", "go_memstats_heap_inuse_bytes", "process_cpu_seconds_total",
			"process_resident_memory_bytes"} {
			assert.Contains(t, fams, name)
		}
	})

	t.Run("an admin's session may scrape", func(t *testing.T) {
		got := sc.scrape(sessionHeader(t, app, admin))
		_, ok := callMetric(got, "rtcdrill_call_mos", call)
		assert.True(t, ok)
	})

	t.Run("others are refused", func(t *testing.T) {
		tests := []struct {
			name   string
			header http.Header
			want   int
		}{
			{"anonymous", http.Header{}, http.StatusUnauthorized},
			{"wrong token", bearer("not-the-token"), http.StatusUnauthorized},
			{"trainee", sessionHeader(t, app, trainee), http.StatusForbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				code, body := sc.get("/metrics", tt.header)
				assert.Equal(t, tt.want, code)
				assert.NotContains(t, body, "rtcdrill_call_")
			})
		}
	})

	t.Run("HTTP histogram is keyed by route template", func(t *testing.T) {
		code, _ := sc.get(fmt.Sprintf("/attempts/%d/no-such-page", attemptID), http.Header{})
		require.Equal(t, http.StatusNotFound, code)
		got := sc.scrape(bearer(testMetricsToken))
		fam := got["rtcdrill_http_request_duration_seconds"]
		require.NotNil(t, fam)
		assert.Equal(t, dto.MetricType_HISTOGRAM, fam.GetType())
		known := []string{"unmatched"}
		for _, r := range app.srv.echo.Routes() {
			known = append(known, r.Path)
		}
		var routes []string
		for _, m := range fam.GetMetric() {
			l := labelsOf(m)
			routes = append(routes, l["route"])
			assert.Contains(t, known, l["route"], "a registered route template")
			assert.NotContains(t, l["route"], strconv.FormatUint(uint64(attemptID), 10), "no raw ids")
			assert.Regexp(t, `^[1-5]xx$`, l["code"])
		}
		for _, want := range []string{"/attempts/:id/items/:pos", "/metrics", "unmatched", "/practice/:exam"} {
			assert.Contains(t, routes, want)
		}
		m, ok := callMetric(got, "rtcdrill_http_request_duration_seconds",
			map[string]string{"route": "/metrics", "method": "GET", "code": "4xx"})
		require.True(t, ok, "refused scrapes count as 4xx")
		assert.GreaterOrEqual(t, m.GetHistogram().GetSampleCount(), uint64(3))
	})

	t.Run("dashboard names only exported metrics", func(t *testing.T) {
		exprs := dashboardExprs(t, "../deploy/grafana/dashboards/rtcdrill.json")
		assertExported(t, fams, exprs)
	})

	t.Run("alert rules name only exported metrics", func(t *testing.T) {
		exprs := ruleExprs(t, "../deploy/prometheus/rules.yml")
		require.NotEmpty(t, exprs)
		assertExported(t, fams, exprs)
	})
}

// BenchmarkMetricsScrape measures one scrape of /metrics (gather and
// encode) while a live call runs: the cost Prometheus adds per interval.
func BenchmarkMetricsScrape(b *testing.B) {
	app := newTestApp(b, Config{ScenariosDir: testLibrary(b), MetricsToken: testMetricsToken})
	c := app.signedIn(b, app.mkUser(b, "bo", store.RoleTrainee))
	attemptID := startPractice(b, c)
	require.Equal(b, http.StatusOK, c.get(itemPath(attemptID, 0)).Code)
	a, err := app.st.Attempt(b.Context(), attemptID)
	require.NoError(b, err)
	app.waitLive(b, a.Items[0].ID, 2)
	scraper := app.client(b)
	scraper.header.Set("Authorization", "Bearer "+testMetricsToken)
	for b.Loop() {
		rec := scraper.get("/metrics")
		if rec.Code != http.StatusOK {
			b.Fatalf("scrape: %d", rec.Code)
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}
