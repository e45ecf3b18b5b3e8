package grading

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// NA is the text of an undefined [Figure] on pages and in CSV files.
const NA = "n/a"

// Figure is a report number that may be undefined for the data at hand (a
// rate with no attempts, a correlation when all scores are equal). The zero
// value is undefined, so a forgotten assignment shows as "n/a" rather than as
// a plausible 0.
type Figure struct {
	// Value is meaningful only when OK is true.
	Value float64
	// OK reports whether Value is defined.
	OK bool
}

// Known returns a defined Figure, or an undefined one when v is NaN or Inf:
// this is the single gate that keeps NaN and Inf out of pages and CSV files.
func Known(v float64) Figure {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Figure{}
	}
	return Figure{Value: v, OK: true}
}

// Seconds returns a defined Figure holding d in seconds.
func Seconds(d time.Duration) Figure {
	return Known(d.Seconds())
}

// Duration converts a Figure holding seconds back to a time.Duration
// (0 when undefined) for display as minutes and seconds.
func (f Figure) Duration() time.Duration {
	if !f.OK {
		return 0
	}
	return time.Duration(math.Round(f.Value * float64(time.Second)))
}

// String formats the value with the shortest exact representation, so that
// CSV files round-trip; pages round for display themselves.
func (f Figure) String() string {
	if !f.OK {
		return NA
	}
	return strconv.FormatFloat(f.Value, 'f', -1, 64)
}

// MarshalJSON writes null for an undefined figure, since JSON has no NaN.
func (f Figure) MarshalJSON() ([]byte, error) {
	if !f.OK {
		return []byte("null"), nil
	}
	return json.Marshal(f.Value)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Figure) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Figure{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("figure: %w", err)
	}
	*f = Known(v)
	return nil
}

// ParseFigure reads what String writes ("n/a" or a decimal number).
func ParseFigure(s string) (Figure, error) {
	if s == NA {
		return Figure{}, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Figure{}, fmt.Errorf("parse figure %q: %w", s, err)
	}
	f := Known(v)
	if !f.OK {
		return Figure{}, fmt.Errorf("parse figure %q: not finite", s)
	}
	return f, nil
}

// ratio returns 100 × num / den, undefined when den is 0.
func ratio(num, den int) Figure {
	if den == 0 {
		return Figure{}
	}
	return Known(100 * float64(num) / float64(den))
}
