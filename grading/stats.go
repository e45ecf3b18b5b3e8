package grading

import (
	"math"
	"slices"
)

// flatVariance is the population variance at or below which scores count as
// all equal; it absorbs rounding in sums of 0-100 scores, far below any real
// spread (one point difference between two of 10 000 sittings is 1e-4).
const flatVariance = 1e-9

// moments accumulates a mean and population variance in one pass (Welford),
// which stays accurate over 100k values where sum-of-squares would not.
type moments struct {
	n    int
	mean float64
	m2   float64
}

func (m *moments) add(x float64) {
	m.n++
	d := x - m.mean
	m.mean += d / float64(m.n)
	m.m2 += d * (x - m.mean)
}

// variance is the population variance (÷ n); 0 for fewer than two values.
func (m *moments) variance() float64 {
	if m.n < 2 {
		return 0
	}
	return m.m2 / float64(m.n)
}

func (m *moments) meanFigure() Figure {
	if m.n == 0 {
		return Figure{}
	}
	return Known(m.mean)
}

// comoments accumulates what a Pearson correlation needs, in one pass.
type comoments struct {
	n             int
	mx, my        float64
	m2x, m2y, cxy float64
}

func (c *comoments) add(x, y float64) {
	c.n++
	dx := x - c.mx
	c.mx += dx / float64(c.n)
	dy := y - c.my
	c.my += dy / float64(c.n)
	c.m2x += dx * (x - c.mx)
	c.m2y += dy * (y - c.my)
	c.cxy += dx * (y - c.my)
}

// correlation returns 100 × Pearson r, undefined for fewer than two pairs or
// when either side does not vary (all scores equal).
func (c *comoments) correlation() Figure {
	n := float64(c.n)
	if c.n < 2 || c.m2x/n <= flatVariance || c.m2y/n <= flatVariance {
		return Figure{}
	}
	r := c.cxy / math.Sqrt(c.m2x*c.m2y)
	return Known(100 * max(-1, min(1, r)))
}

// cronbachAlpha = p/(p-1) × (1 - Σ Var(item) / Var(total)), undefined for
// fewer than two items or sittings, or when totals do not vary.
func cronbachAlpha(items []moments, total *moments) Figure {
	p := len(items)
	if p < 2 || total.n < 2 || total.variance() <= flatVariance {
		return Figure{}
	}
	sum := 0.0
	for i := range items {
		sum += items[i].variance()
	}
	return Known(float64(p) / float64(p-1) * (1 - sum/total.variance()))
}

// Bin is one histogram bar: Count values in [Lo, Hi), the last bar closed.
type Bin struct {
	Lo, Hi float64
	Count  int
}

// Distribution summarises scores (0-100) for the distribution charts.
type Distribution struct {
	N                              int
	Mean, Min, Q1, Median, Q3, Max Figure
	// Bins are ten 10-point bars from 0 to 100.
	Bins []Bin
}

// distribution summarises xs; it sorts xs in place.
func distribution(xs []float64) Distribution {
	d := Distribution{N: len(xs), Bins: make([]Bin, 10)}
	for i := range d.Bins {
		d.Bins[i] = Bin{Lo: float64(10 * i), Hi: float64(10 * (i + 1))}
	}
	// sorted first: callers gather xs from maps, and a fixed summation order
	// keeps the mean bit-identical between builds.
	slices.Sort(xs)
	var m moments
	for _, x := range xs {
		m.add(x)
		d.Bins[min(9, max(0, int(x/10)))].Count++
	}
	if len(xs) == 0 {
		return d
	}
	d.Mean = Known(m.mean)
	d.Min, d.Max = Known(xs[0]), Known(xs[len(xs)-1])
	d.Q1, d.Median, d.Q3 = quantile(xs, 0.25), quantile(xs, 0.5), quantile(xs, 0.75)
	return d
}

// quantile interpolates linearly between order statistics (Hyndman-Fan type
// 7, the spreadsheet default) of sorted xs.
func quantile(sorted []float64, q float64) Figure {
	if len(sorted) == 0 {
		return Figure{}
	}
	h := q * float64(len(sorted)-1)
	lo := int(h)
	if lo+1 >= len(sorted) {
		return Known(sorted[lo])
	}
	return Known(sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo]))
}

// median sorts xs in place and returns its middle (mean of the two middles).
func median(xs []float64) Figure {
	slices.Sort(xs)
	return quantile(xs, 0.5)
}
