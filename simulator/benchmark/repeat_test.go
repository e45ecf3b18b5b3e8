package benchmark

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMedianAndSpread(t *testing.T) {
	run := func(kind string, calls int, cpu float64) Result {
		return Result{Kind: kind, Calls: calls, CPUPerCallSecond: cpu, Cores: cpu * float64(calls)}
	}
	tests := []struct {
		name       string
		runs       []Result
		wantMedian float64
		wantLo     float64
		wantHi     float64
		wantSpread bool
	}{
		{"one run", []Result{run("bare", 10, 0.010)}, 0.010, 0.010, 0.010, false},
		{"odd count", []Result{run("bare", 10, 0.012), run("bare", 10, 0.008), run("bare", 10, 0.010)},
			0.010, 0.008, 0.012, true},
		{"even count takes the lower middle", []Result{run("bare", 10, 0.012), run("bare", 10, 0.008),
			run("bare", 10, 0.010), run("bare", 10, 0.011)}, 0.010, 0.008, 0.012, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := median(tt.runs)
			assert.InDelta(t, tt.wantMedian, m.CPUPerCallSecond, 1e-12)
			// Runs of another kind or count never count.
			all := append([]Result{run("impaired", 10, 0.001), run("bare", 50, 0.1)}, tt.runs...)
			lo, hi, ok := spread(all, m)
			assert.Equal(t, tt.wantSpread, ok)
			assert.InDelta(t, tt.wantLo, lo.CPUPerCallSecond, 1e-12)
			assert.InDelta(t, tt.wantHi, hi.CPUPerCallSecond, 1e-12)
		})
	}
	assert.Equal(t, Result{}, median(nil))
	assert.Equal(t, []string{"bare", "impaired"}, kindOrder(0))
	assert.Equal(t, []string{"impaired", "bare"}, kindOrder(1))
	assert.Equal(t, []string{"bare", "impaired"}, kindOrder(2))
}

func TestWriteTableShowsTheRange(t *testing.T) {
	bare := []Result{{Kind: "bare", Calls: 200, CPUPerCallSecond: 0.0061, Cores: 1.22},
		{Kind: "bare", Calls: 200, CPUPerCallSecond: 0.0070, Cores: 1.40}}
	imp := []Result{{Kind: "impaired", Calls: 200, CPUPerCallSecond: 0.0050, Cores: 1.00},
		{Kind: "impaired", Calls: 200, CPUPerCallSecond: 0.0060, Cores: 1.20},
		{Kind: "impaired", Calls: 200, CPUPerCallSecond: 0.0055, Cores: 1.10}}
	rep := Report{Bare: []Result{median(bare)}, Impaired: []Result{median(imp)}, Runs: append(bare, imp...)}
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, rep))
	out := buf.String()
	assert.Contains(t, out, "0.0055 (0.0050-0.0060)")
	assert.Contains(t, out, "1.10 (1.00-1.20)")
	assert.Contains(t, out, "0.0061 (0.0061-0.0070)")
	assert.Contains(t, out, "0.90", "impaired/bare of the medians: 0.0055 / 0.0061")

	var single bytes.Buffer
	require.NoError(t, WriteTable(&single, Report{Bare: bare[:1], Impaired: imp[:1]}))
	assert.NotContains(t, single.String(), "(", "no range without repeats")
}
