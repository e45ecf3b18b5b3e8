package webui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// metricName matches the metrics rtcdrill exports: its own, and the Go
// runtime's and the process's collectors.
var metricName = regexp.MustCompile(`\b(?:rtcdrill|go|process|promhttp)_[a-zA-Z0-9_:]*`)

// metricNames lists the metric names a PromQL expression uses, in order,
// each once.
func metricNames(expr string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range metricName.FindAllString(expr, -1) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func TestMetricNames(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`avg by (edge) (rtcdrill_call_round_trip_time_seconds{edge=~"$edge"})`, []string{"rtcdrill_call_round_trip_time_seconds"}},
		{`histogram_quantile(0.95, sum by (le, route) (rate(rtcdrill_http_request_duration_seconds_bucket[5m])))`,
			[]string{"rtcdrill_http_request_duration_seconds_bucket"}},
		{`a_metric and on(x) rtcdrill_live_calls + go_goroutines + rtcdrill_live_calls`, []string{"rtcdrill_live_calls", "go_goroutines"}},
		{`vector(1)`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			assert.Equal(t, tt.want, metricNames(tt.expr))
		})
	}
}

// dashboardPanel is what the tests read of a Grafana panel.
type dashboardPanel struct {
	ID      int                      `json:"id"`
	Type    string                   `json:"type"`
	Title   string                   `json:"title"`
	Panels  []dashboardPanel         `json:"panels"`
	GridPos struct{ H, W, X, Y int } `json:"gridPos"`
	Targets []struct {
		Expr  string `json:"expr"`
		RefID string `json:"refId"`
	} `json:"targets"`
}

type dashboard struct {
	UID        string           `json:"uid"`
	Title      string           `json:"title"`
	Panels     []dashboardPanel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
}

// dashboardExprs reads a dashboard and returns every query by where it
// is, checking the layout on the way: unique panel ids, at least one query
// per panel, panels inside the 24-column grid, and the three levels.
func dashboardExprs(tb testing.TB, path string) map[string]string {
	tb.Helper()
	data, err := os.ReadFile(path)
	require.NoError(tb, err)
	var d dashboard
	require.NoError(tb, json.Unmarshal(data, &d), "%s is JSON", path)
	require.NotEmpty(tb, d.UID)
	exprs := map[string]string{}
	ids := map[int]bool{}
	var rows []string
	var walk func(ps []dashboardPanel)
	walk = func(ps []dashboardPanel) {
		for _, p := range ps {
			assert.False(tb, ids[p.ID], "panel id %d used twice", p.ID)
			ids[p.ID] = true
			assert.LessOrEqual(tb, p.GridPos.X+p.GridPos.W, 24, "panel %q fits the grid", p.Title)
			if p.Type == "row" {
				rows = append(rows, p.Title)
				walk(p.Panels)
				continue
			}
			assert.NotEmpty(tb, p.Targets, "panel %q has a query", p.Title)
			for _, tg := range p.Targets {
				exprs[fmt.Sprintf("panel %q query %s", p.Title, tg.RefID)] = tg.Expr
			}
		}
	}
	walk(d.Panels)
	for _, v := range d.Templating.List {
		if v.Definition != "" {
			exprs["variable "+v.Name] = v.Definition
		}
	}
	require.Len(tb, rows, 3, "user, service and network rows")
	assert.Regexp(tb, `^User`, rows[0])
	assert.Regexp(tb, `^Service`, rows[1])
	assert.Regexp(tb, `^Network`, rows[2])
	return exprs
}

// ruleExprs reads a Prometheus rule file's expressions by rule name.
func ruleExprs(tb testing.TB, path string) map[string]string {
	tb.Helper()
	data, err := os.ReadFile(path)
	require.NoError(tb, err)
	var f struct {
		Groups []struct {
			Rules []struct {
				Alert  string `yaml:"alert"`
				Record string `yaml:"record"`
				Expr   string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	require.NoError(tb, yaml.Unmarshal(data, &f))
	out := map[string]string{}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			out["rule "+r.Alert+r.Record] = r.Expr
		}
	}
	return out
}

// promtool finds Prometheus's checker. Missing, the test fails: CI installs
// Debian's prometheus package (.ci/run), so its absence is a broken machine.
func promtool(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		tb.Fatalf("promtool not found: install Debian's prometheus package " +
			"(apt-get install -y --no-install-recommends prometheus, as .ci/run does)")
	}
	return p
}

// TestPromtoolRules runs promtool on the shipped rules: they pass `check
// rules`, their unit tests (the alert fires after 30 s above 800 ms, and
// not for a dip or a lower delay) pass, and the example configuration is
// valid. A broken copy must fail, so the check is known to bite.
func TestPromtoolRules(t *testing.T) {
	bin := promtool(t)
	broken := filepath.Join(t.TempDir(), "rules.yml")
	require.NoError(t, os.WriteFile(broken, []byte("groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: rate(x[5m]\n"), 0o644))
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{"check rules", []string{"check", "rules", "rules.yml"}, true},
		{"test rules", []string{"test", "rules", "rules_test.yml"}, true},
		{"check config", []string{"check", "config", "--syntax-only", "prometheus.yml"}, true},
		{"broken rules fail", []string{"check", "rules", broken}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Dir = filepath.Join("..", "deploy", "prometheus")
			out, err := cmd.CombinedOutput()
			if tt.ok {
				assert.NoError(t, err, "%s", out)
			} else {
				assert.Error(t, err, "%s", out)
			}
		})
	}
}

// assertExported checks that every expression names at least one metric
// and only metrics the scrape holds (histogram series by their family).
func assertExported(t *testing.T, fams map[string]*dto.MetricFamily, exprs map[string]string) {
	t.Helper()
	for where, expr := range exprs {
		names := metricNames(expr)
		assert.NotEmpty(t, names, "%s: %q names no metric", where, expr)
		for _, n := range names {
			assert.True(t, exported(fams, n), "%s: %q names %s, which /metrics does not export", where, expr, n)
		}
	}
}

// exported tells whether a series name belongs to a scraped family.
func exported(fams map[string]*dto.MetricFamily, name string) bool {
	if _, ok := fams[name]; ok {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if f, ok := fams[base]; ok && slices.Contains([]dto.MetricType{dto.MetricType_HISTOGRAM, dto.MetricType_SUMMARY}, f.GetType()) {
				return true
			}
		}
	}
	return false
}
