package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
	"go.yaml.in/yaml/v3"
)

// metricKind is the unit a metric is reported in, which decides how a
// threshold must be written: a time metric takes "500ms", never a bare 0.5
// that a reader could mistake for milliseconds.
type metricKind int

const (
	kindNumber   metricKind = iota // counts, frames per second, pixels, MOS
	kindTime                       // seconds, as W3C webrtc-stats reports them
	kindFraction                   // 0..1, written 8% or 0.08
	kindBitrate                    // bit/s, written 800kbps
)

// MetricNames lists the metrics conditions may name, as the engine emits
// them: W3C webrtc-stats names plus bitrateIn/bitrateOut/sendBitrate (bit/s),
// audio and uplink variants, mos (1-4.5) and serverCpu (0..1 of the media
// server's CPU).
func MetricNames() []string {
	return []string{"roundTripTime", "packetsLost", "packetsReceived", "fractionLost", "jitter",
		"videoFractionLost", "videoJitter", "framesPerSecond", "frameWidth", "frameHeight", "framesDropped", "freezeCount",
		"totalFreezesDuration", "nackCount", "pliCount", "targetBitrate", "concealedSamples",
		"concealmentEvents", "totalSamplesReceived", "audioLoss", "bitrateIn", "bitrateOut",
		"sendBitrate", "endToEndDelay", "audioDelay", "firstFrameTime", "mos", "serverCpu",
		"uplinkFractionLost", "uplinkJitter"}
}

func metricKindOf(name string) (metricKind, bool) {
	switch name {
	case "roundTripTime", "jitter", "videoJitter", "uplinkJitter", "totalFreezesDuration",
		"endToEndDelay", "audioDelay", "firstFrameTime":
		return kindTime, true
	case "fractionLost", "videoFractionLost", "uplinkFractionLost", "audioLoss", "serverCpu":
		return kindFraction, true
	case "targetBitrate", "bitrateIn", "bitrateOut", "sendBitrate":
		return kindBitrate, true
	}
	return kindNumber, slices.Contains(MetricNames(), name)
}

var (
	conditionRE   = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9]*)\s*(>=|<=|==|>|<)\s*(\S+)\s*$`)
	plainNumberRE = regexp.MustCompile(`^` + numberPattern + `$`)
)

const conditionPattern = `^\s*[A-Za-z][A-Za-z0-9]*\s*(>=|<=|==|>|<)\s*\S+\s*$`

// Condition is a threshold on one metric, written "roundTripTime > 500ms".
// Value is in the metric's base unit: seconds, a 0..1 fraction or bit/s.
type Condition struct {
	Metric string
	Op     string
	Value  float64
	text   string
}

// ParseCondition parses one condition as written in a scenario file.
func ParseCondition(s string) (Condition, error) {
	m := conditionRE.FindStringSubmatch(s)
	if m == nil {
		return Condition{}, fmt.Errorf("%q is not a condition like \"roundTripTime > 500ms\"", s)
	}
	kind, ok := metricKindOf(m[1])
	if !ok {
		return Condition{}, fmt.Errorf("unknown metric %q; known: %s", m[1], strings.Join(MetricNames(), ", "))
	}
	v, err := parseThreshold(kind, m[1], m[3])
	if err != nil {
		return Condition{}, err
	}
	return Condition{Metric: m[1], Op: m[2], Value: v, text: m[1] + " " + m[2] + " " + m[3]}, nil
}

func parseThreshold(kind metricKind, metric, s string) (float64, error) {
	switch kind {
	case kindTime:
		v, err := parseUnit(unitDuration, s)
		if err != nil {
			return 0, fmt.Errorf("%s is a time: %w", metric, err)
		}
		return v / 1e9, nil
	case kindBitrate:
		v, err := parseUnit(unitBitrate, s)
		if err != nil {
			return 0, fmt.Errorf("%s is a bitrate: %w", metric, err)
		}
		return v, nil
	case kindFraction:
		if strings.HasSuffix(s, "%") {
			return parseUnit(unitPercent, s)
		}
		v, err := plainNumber(s)
		if err != nil || v > 1 {
			return 0, fmt.Errorf("%s is a fraction: write 8%% or a number from 0 to 1, not %q", metric, s)
		}
		return v, nil
	}
	v, err := plainNumber(s)
	if err != nil {
		return 0, fmt.Errorf("%s takes a plain number, not %q", metric, s)
	}
	return v, nil
}

func plainNumber(s string) (float64, error) {
	if !plainNumberRE.MatchString(s) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return strconv.ParseFloat(s, 64)
}

func (c *Condition) decodeNode(n *yaml.Node) error {
	if !isScalar(n, "!!str") {
		return fmt.Errorf("expected a condition like \"roundTripTime > 500ms\", got %s", describe(n))
	}
	parsed, err := ParseCondition(n.Value)
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}

// String returns the condition as written.
func (c Condition) String() string { return c.text }

// MarshalText keeps the written form in JSON, the form trainers recognise.
func (c Condition) MarshalText() ([]byte, error) { return []byte(c.text), nil }

// JSONSchema describes the accepted spelling to editors.
func (Condition) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: conditionPattern,
		Description: "metric op value, e.g. \"roundTripTime > 500ms\"; metrics: " + strings.Join(MetricNames(), ", ")}
}

// Holds reports whether the metric is present and meets the threshold. A
// missing or NaN metric does not hold: absence is not evidence.
func (c Condition) Holds(metrics map[string]float64) bool {
	v, ok := metrics[c.Metric]
	if !ok || math.IsNaN(v) {
		return false
	}
	switch c.Op {
	case ">":
		return v > c.Value
	case ">=":
		return v >= c.Value
	case "<":
		return v < c.Value
	case "<=":
		return v <= c.Value
	default:
		return v == c.Value
	}
}

// Conditions is a set of thresholds that must all hold.
type Conditions []Condition

// Holds reports whether every condition holds.
func (cs Conditions) Holds(metrics map[string]float64) bool {
	for _, c := range cs {
		if !c.Holds(metrics) {
			return false
		}
	}
	return true
}

// DefaultHealthy is what "resolved" means when a scenario does not say:
// thresholds a support desk would call a good call.
func DefaultHealthy() Conditions {
	return Conditions{
		{Metric: "roundTripTime", Op: "<", Value: 0.3, text: "roundTripTime < 300ms"},
		{Metric: "fractionLost", Op: "<", Value: 0.03, text: "fractionLost < 3%"},
		{Metric: "framesPerSecond", Op: ">=", Value: 20, text: "framesPerSecond >= 20"},
		{Metric: "mos", Op: ">=", Value: 3.5, text: "mos >= 3.5"},
	}
}

// LogPattern is a regular expression (RE2 syntax, so matching stays linear
// on hostile input) that a log line supporting the diagnosis matches.
type LogPattern struct {
	re *regexp.Regexp
}

func (p *LogPattern) decodeNode(n *yaml.Node) error {
	if !isScalar(n, "!!str") || n.Value == "" {
		return fmt.Errorf("expected a regular expression, got %s", describe(n))
	}
	if len(n.Value) > 512 {
		return fmt.Errorf("pattern is %d characters, over 512", len(n.Value))
	}
	re, err := regexp.Compile(n.Value)
	if err != nil {
		return fmt.Errorf("bad regular expression: %w", err)
	}
	p.re = re
	return nil
}

// Matches reports whether a log line matches.
func (p LogPattern) Matches(line string) bool { return p.re != nil && p.re.MatchString(line) }

// String returns the pattern as written.
func (p LogPattern) String() string {
	if p.re == nil {
		return ""
	}
	return p.re.String()
}

// MarshalText keeps the written pattern in JSON.
func (p LogPattern) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// JSONSchema describes the accepted spelling to editors.
func (LogPattern) JSONSchema() *jsonschema.Schema {
	// No "format: regex": editors check that against ECMAScript syntax,
	// which rejects valid RE2 such as (?i).
	return &jsonschema.Schema{Type: "string", MinLength: ptr(uint64(1)), MaxLength: ptr(uint64(512))}
}

// Evidence is what supports the diagnosis: metric thresholds the call
// crosses and log lines the client or server writes.
type Evidence struct {
	// Metrics that must all hold while the fault is active, e.g. "fractionLost > 8%".
	Metrics Conditions `yaml:"metrics,omitempty"`
	// Logs are regular expressions of log lines that point at the cause.
	Logs []LogPattern `yaml:"logs,omitempty"`
}

// Holds reports whether the metrics support the diagnosis: every metric
// condition holds. Evidence made of log lines only returns false, so that a
// library test cannot pass a scenario whose symptom was never measured.
func (e Evidence) Holds(metrics map[string]float64) bool {
	return len(e.Metrics) > 0 && e.Metrics.Holds(metrics)
}

// LogsMatch reports whether every log pattern matches at least one line.
func (e Evidence) LogsMatch(lines []string) bool {
	for _, p := range e.Logs {
		if !slices.ContainsFunc(lines, p.Matches) {
			return false
		}
	}
	return len(e.Logs) > 0
}
