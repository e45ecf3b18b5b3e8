package grading

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFigure(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		ok   bool
		text string
		json string
	}{
		{"finite", 62.5, true, "62.5", "62.5"},
		{"negative", -69.65, true, "-69.65", "-69.65"},
		{"zero is a value", 0, true, "0", "0"},
		{"NaN is n/a", math.NaN(), false, "n/a", "null"},
		{"+Inf is n/a", math.Inf(1), false, "n/a", "null"},
		{"-Inf is n/a", math.Inf(-1), false, "n/a", "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Known(tt.in)
			assert.Equal(t, tt.ok, f.OK)
			assert.Equal(t, tt.text, f.String())
			b, err := json.Marshal(f)
			require.NoError(t, err)
			assert.Equal(t, tt.json, string(b))
			var back Figure
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, f, back)
			parsed, err := ParseFigure(f.String())
			require.NoError(t, err)
			assert.Equal(t, f, parsed)
		})
	}
}

func TestFigureZeroValueIsNA(t *testing.T) {
	var f Figure
	assert.False(t, f.OK)
	assert.Equal(t, NA, f.String())
	assert.Equal(t, time.Duration(0), f.Duration())
}

func TestParseFigureRejects(t *testing.T) {
	for _, s := range []string{"", "NaN", "Inf", "-Inf", "1e400", "abc"} {
		t.Run(s, func(t *testing.T) {
			_, err := ParseFigure(s)
			assert.Error(t, err)
		})
	}
}

func TestFigureSecondsDuration(t *testing.T) {
	f := Seconds(200 * time.Second)
	assert.Equal(t, Figure{Value: 200, OK: true}, f)
	assert.Equal(t, 200*time.Second, f.Duration())
}

func TestRatio(t *testing.T) {
	assert.Equal(t, Figure{}, ratio(0, 0), "no attempts: n/a, not 0 %")
	assert.Equal(t, Known(75), ratio(3, 4)) // 100 × 3 / 4 = 75
	assert.Equal(t, Known(0), ratio(0, 1))
}
