package grading

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCorrelation(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want Figure
	}{
		// mean x 50, y 50; dx -50,0,50; dy -30,-10,40; Σdxdy = 1500+0+2000 = 3500;
		// Σdx² = 5000, Σdy² = 900+100+1600 = 2600; r = 3500/√13e6 = 0.970725.
		{"hand-computed", []float64{0, 50, 100}, []float64{20, 40, 90}, Known(97.0725343394151)},
		{"perfect negative", []float64{0, 100}, []float64{80, 20}, Known(-100)},
		{"no pairs", nil, nil, Figure{}},
		{"one pair", []float64{50}, []float64{50}, Figure{}},
		{"item scores all equal", []float64{70, 70, 70}, []float64{10, 50, 90}, Figure{}},
		{"rest all equal", []float64{0, 50, 100}, []float64{60, 60, 60}, Figure{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c comoments
			for i := range tt.x {
				c.add(tt.x[i], tt.y[i])
			}
			got := c.correlation()
			assert.Equal(t, tt.want.OK, got.OK)
			assert.InDelta(t, tt.want.Value, got.Value, 1e-9)
		})
	}
}

func TestCronbachAlpha(t *testing.T) {
	tests := []struct {
		name  string
		items [][]float64 // items[i][sitting]
		want  Figure
	}{
		// item1 10,20,30: Var = (100+0+100)/3 = 200/3; item2 10,30,20: 200/3;
		// totals 20,50,50: mean 40, Var = (400+100+100)/3 = 200;
		// alpha = 2/1 × (1 - (400/3)/200) = 2 × 1/3 = 2/3.
		{"hand-computed", [][]float64{{10, 20, 30}, {10, 30, 20}}, Known(2.0 / 3)},
		// identical items: Var(total) = 4 Var(item): 2 × (1 - 2/4) = 1.
		{"perfectly consistent", [][]float64{{0, 50, 100}, {0, 50, 100}}, Known(1)},
		{"one item", [][]float64{{10, 20, 30}}, Figure{}},
		{"one sitting", [][]float64{{10}, {20}}, Figure{}},
		{"no sittings", [][]float64{{}, {}}, Figure{}},
		{"all totals equal", [][]float64{{10, 20}, {20, 10}}, Figure{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := make([]moments, len(tt.items))
			var total moments
			for s := range tt.items[0] {
				sum := 0.0
				for i := range tt.items {
					items[i].add(tt.items[i][s])
					sum += tt.items[i][s]
				}
				total.add(sum)
			}
			got := cronbachAlpha(items, &total)
			assert.Equal(t, tt.want.OK, got.OK)
			assert.InDelta(t, tt.want.Value, got.Value, 1e-12)
		})
	}
}

func TestDistribution(t *testing.T) {
	tests := []struct {
		name                        string
		xs                          []float64
		mean, min, q1, med, q3, max Figure
		bins                        map[int]int
	}{
		{name: "none", xs: nil, bins: map[int]int{}},
		{"one", []float64{42}, Known(42), Known(42), Known(42), Known(42), Known(42), Known(42), map[int]int{4: 1}},
		// sorted 10 20 30 40: mean 25; type-7 q1 at h = 0.75 → 10 + 0.75×10 = 17.5;
		// median h = 1.5 → 25; q3 h = 2.25 → 30 + 0.25×10 = 32.5. 100 lands in the last bar.
		{"four", []float64{40, 10, 30, 20}, Known(25), Known(10), Known(17.5), Known(25), Known(32.5), Known(40), map[int]int{1: 1, 2: 1, 3: 1, 4: 1}},
		{"edges of bars", []float64{0, 9.999, 10, 100}, Known(29.99975), Known(0), Known(7.49925), Known(9.9995), Known(32.5), Known(100), map[int]int{0: 2, 1: 1, 9: 1}},
		{"all equal", []float64{70, 70, 70}, Known(70), Known(70), Known(70), Known(70), Known(70), Known(70), map[int]int{7: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := distribution(tt.xs)
			assert.Equal(t, len(tt.xs), d.N)
			for _, p := range []struct{ want, got Figure }{{tt.mean, d.Mean}, {tt.min, d.Min}, {tt.q1, d.Q1}, {tt.med, d.Median}, {tt.q3, d.Q3}, {tt.max, d.Max}} {
				assert.Equal(t, p.want.OK, p.got.OK)
				assert.InDelta(t, p.want.Value, p.got.Value, 1e-9)
			}
			assert.Len(t, d.Bins, 10)
			for i, b := range d.Bins {
				assert.Equal(t, tt.bins[i], b.Count, "bin %d", i)
				assert.Equal(t, float64(10*i), b.Lo)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	assert.Equal(t, Figure{}, median(nil))
	assert.Equal(t, Known(150), median([]float64{300, 100, 150, 200, 120})) // sorted 100 120 150 200 300
	assert.Equal(t, Known(135), median([]float64{300, 100, 150, 120}))      // (120 + 150) / 2
}
