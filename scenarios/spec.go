package scenarios

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/invopop/jsonschema"
	"go.yaml.in/yaml/v3"
)

// spec is a numeric fault parameter as a trainer wrote it: one value, a range
// "lo..hi", or a list of choices. A seed later picks one concrete number, so
// one file yields many slightly different exercises.
type spec struct {
	lo, hi  float64
	choices []float64
	set     bool
}

// IsSet reports whether the field was written at all.
func (s spec) IsSet() bool { return s.set }

// Bounds returns the smallest and largest value a variant can get, in the
// field's base unit (fraction, nanoseconds, bit/s, bytes or count).
func (s spec) Bounds() (lo, hi float64) {
	if len(s.choices) > 0 {
		return slices.Min(s.choices), slices.Max(s.choices)
	}
	return s.lo, s.hi
}

// varies reports whether different seeds can give different values.
func (s spec) varies() bool {
	lo, hi := s.Bounds()
	return lo != hi
}

func (s *spec) decode(n *yaml.Node, u unit) error {
	switch n.Kind {
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return fmt.Errorf("an empty list offers no choice; expected %s", u.example())
		}
		for _, c := range n.Content {
			c = resolveAlias(c)
			v, err := scalarUnit(c, u)
			if err != nil {
				return &nodeError{node: c, err: err}
			}
			s.choices = append(s.choices, v)
		}
	case yaml.ScalarNode:
		if n.ShortTag() != "!!str" && !(u == unitCount && n.ShortTag() == "!!int") {
			return fmt.Errorf("expected %s, a range lo..hi or a list of choices, got %s", u.example(), describe(n))
		}
		lo, hi, isRange := strings.Cut(n.Value, "..")
		a, err := parseUnit(u, lo)
		if err != nil {
			return rangeHint(err, isRange)
		}
		if !isRange {
			s.lo, s.hi = a, a
			break
		}
		b, err := parseUnit(u, hi)
		if err != nil {
			return rangeHint(err, true)
		}
		if a >= b {
			return fmt.Errorf("range %s must go from low to high", n.Value)
		}
		s.lo, s.hi = a, b
	default:
		return fmt.Errorf("expected %s, a range lo..hi or a list of choices, got %s", u.example(), describe(n))
	}
	s.set = true
	return nil
}

func rangeHint(err error, isRange bool) error {
	if isRange {
		return fmt.Errorf("%w (each end of a range carries its unit)", err)
	}
	return err
}

func scalarUnit(n *yaml.Node, u unit) (float64, error) {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && !(u == unitCount && n.ShortTag() == "!!int")) {
		return 0, fmt.Errorf("expected %s, got %s", u.example(), describe(n))
	}
	return parseUnit(u, n.Value)
}

// pick draws the concrete value; ranges are rounded to the unit's quantum so
// that canonical variants stay readable.
func (s spec) pick(r *rand.Rand, u unit) float64 {
	if len(s.choices) > 0 {
		return s.choices[r.IntN(len(s.choices))]
	}
	if s.lo == s.hi {
		return s.lo
	}
	v := s.lo + r.Float64()*(s.hi-s.lo)
	if q := u.quantum(); q < 1 {
		steps := math.Round(1 / q)
		v = math.Round(v*steps) / steps
	} else {
		v = math.Round(v/q) * q
	}
	return min(max(v, s.lo), s.hi)
}

func specSchema(u unit) *jsonschema.Schema {
	one := u.pattern()
	if u == unitCount {
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			{Type: "integer", Minimum: "0"},
			{Type: "string", Pattern: `^` + one + `\s*\.\.\s*` + one + `$`},
			{Type: "array", MinItems: ptr(uint64(1)), Items: &jsonschema.Schema{Type: "integer", Minimum: "0"}},
		}}
	}
	return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
		{Type: "string", Pattern: `^` + one + `(\s*\.\.\s*` + one + `)?$`},
		{Type: "array", MinItems: ptr(uint64(1)), Items: &jsonschema.Schema{Type: "string", Pattern: `^` + one + `$`}},
	}}
}

func ptr[T any](v T) *T { return &v }

// PercentSpec is a percentage field of a fault: "12%", "8%..15%" or a list
// of choices. Its values are fractions (0.12).
type PercentSpec struct{ spec }

func (s *PercentSpec) decodeNode(n *yaml.Node) error { return s.decode(n, unitPercent) }

// JSONSchema describes the accepted spellings to editors.
func (PercentSpec) JSONSchema() *jsonschema.Schema { return specSchema(unitPercent) }

// DurationSpec is a duration field of a fault: "150ms", "100ms..250ms" or a
// list of choices. Its values are nanoseconds.
type DurationSpec struct{ spec }

func (s *DurationSpec) decodeNode(n *yaml.Node) error { return s.decode(n, unitDuration) }

// JSONSchema describes the accepted spellings to editors.
func (DurationSpec) JSONSchema() *jsonschema.Schema { return specSchema(unitDuration) }

// BitrateSpec is a bitrate field of a fault: "800kbps", "600kbps..1Mbps" or
// a list of choices. Its values are bit/s.
type BitrateSpec struct{ spec }

func (s *BitrateSpec) decodeNode(n *yaml.Node) error { return s.decode(n, unitBitrate) }

// JSONSchema describes the accepted spellings to editors.
func (BitrateSpec) JSONSchema() *jsonschema.Schema { return specSchema(unitBitrate) }

// SizeSpec is a byte-size field of a fault: "30KB", "16KB..64KB" or a list
// of choices. Its values are bytes.
type SizeSpec struct{ spec }

func (s *SizeSpec) decodeNode(n *yaml.Node) error { return s.decode(n, unitSize) }

// JSONSchema describes the accepted spellings to editors.
func (SizeSpec) JSONSchema() *jsonschema.Schema { return specSchema(unitSize) }

// CountSpec is a whole-number field of a fault: 5000, "4000..6000" or a
// list of choices.
type CountSpec struct{ spec }

func (s *CountSpec) decodeNode(n *yaml.Node) error { return s.decode(n, unitCount) }

// JSONSchema describes the accepted spellings to editors.
func (CountSpec) JSONSchema() *jsonschema.Schema { return specSchema(unitCount) }

// Duration is a fixed length of time written with its unit ("3m", "90s").
// Fields that frame the exercise rather than the fault take no ranges.
type Duration time.Duration

func (d *Duration) decodeNode(n *yaml.Node) error {
	v, err := scalarUnit(n, unitDuration)
	*d = Duration(v)
	return err
}

// Std returns the value as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// JSONSchema describes the accepted spelling to editors.
func (Duration) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: `^` + durationPattern + `$`}
}

// Percent is a fixed percentage ("70%") stored as a fraction.
type Percent float64

func (p *Percent) decodeNode(n *yaml.Node) error {
	v, err := scalarUnit(n, unitPercent)
	*p = Percent(v)
	return err
}

// JSONSchema describes the accepted spelling to editors.
func (Percent) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: `^` + percentPattern + `$`}
}
