package webui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/grading"
)

func TestFigureFormats(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"score", fmtScore(grading.Known(72.45)), "72.5"},
		{"score n/a", fmtScore(grading.Figure{}), "n/a"},
		{"NaN is n/a", fmtScore(grading.Known(math.NaN())), "n/a"},
		{"Inf is n/a", fmtPercent(grading.Known(math.Inf(1))), "n/a"},
		{"negative zero", fmtScore(grading.Known(-0.04)), "0.0"},
		{"percent", fmtPercent(grading.Known(85)), "85.0%"},
		{"seconds", fmtSeconds(grading.Known(200)), "3:20"},
		{"seconds rounded", fmtSeconds(grading.Known(59.6)), "1:00"},
		{"past an hour", fmtSeconds(grading.Known(3725)), "1:02:05"},
		{"seconds n/a", fmtSeconds(grading.Figure{}), "n/a"},
		{"rating", fmtRating(grading.Known(3.456)), "3.46"},
		{"negative alpha", fmtRating(grading.Known(-0.214)), "-0.21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.got) })
	}
}

func TestLineChart(t *testing.T) {
	cat, err := loadCatalog()
	require.NoError(t, err)
	loc := cat.locale("en")
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	pct := func(v float64) string { return fmt.Sprintf("%.0f%%", v) }
	spec := lineSpec{ID: "x", Title: "FCR", YMax: 100, Target: grading.Known(85), Format: pct}

	t.Run("gaps and scale", func(t *testing.T) {
		ch := newLineChart(loc, spec, []chartPoint{
			{day(1), grading.Known(100)}, {day(2), grading.Figure{}}, {day(3), grading.Known(0)}, {day(5), grading.Known(50)},
		})
		require.False(t, ch.Empty)
		assert.Equal(t, 2, strings.Count(ch.Path, "M"), "an undefined day breaks the line")
		require.Len(t, ch.Dots, 3)
		assert.InDelta(t, chartLeft, ch.Dots[0].X, 0.05, "first day at the left edge")
		assert.InDelta(t, chartRight, ch.Dots[2].X, 0.05, "last day at the right edge")
		assert.InDelta(t, chartLeft+(chartRight-chartLeft)/2, ch.Dots[1].X, 0.05, "day 3 half way from day 1 to day 5")
		assert.InDelta(t, chartTop, ch.Dots[0].Y, 0.05, "100 % at the top")
		assert.InDelta(t, chartBottom, ch.Dots[1].Y, 0.05, "0 % at the bottom")
		assert.True(t, ch.HasTarget)
		assert.InDelta(t, chartBottom-(chartBottom-chartTop)*0.85, ch.TargetY, 0.05)
		assert.Equal(t, "2025-03-01: 100%", ch.Dots[0].Label)
		assert.Contains(t, ch.Desc, "3 days with a value from 2025-03-01 to 2025-03-05; latest 50%. Target 85%")
	})
	t.Run("one day sits in the middle", func(t *testing.T) {
		ch := newLineChart(loc, spec, []chartPoint{{day(1), grading.Known(40)}})
		require.Len(t, ch.Dots, 1)
		assert.InDelta(t, (chartLeft+chartRight)/2, ch.Dots[0].X, 0.05)
		assert.Len(t, ch.XTicks, 1)
	})
	t.Run("values above the range raise it", func(t *testing.T) {
		aht := lineSpec{ID: "a", YMax: 6, Target: grading.Known(3), Format: pct}
		ch := newLineChart(loc, aht, []chartPoint{{day(1), grading.Known(12)}, {day(2), grading.Known(6)}})
		assert.InDelta(t, chartTop, ch.Dots[0].Y, 0.05, "the largest value reaches the top")
		assert.Equal(t, "12%", ch.YTicks[len(ch.YTicks)-1].Label)
	})
	t.Run("nothing defined", func(t *testing.T) {
		ch := newLineChart(loc, spec, []chartPoint{{day(1), grading.Figure{}}})
		assert.True(t, ch.Empty)
		assert.Empty(t, ch.Path)
		assert.Empty(t, ch.Dots)
		assert.Equal(t, "No data yet.", ch.Desc)
		assert.True(t, newLineChart(loc, spec, nil).Empty)
	})
}

func TestHistChart(t *testing.T) {
	cat, err := loadCatalog()
	require.NoError(t, err)
	loc := cat.locale("en")
	bins := make([]grading.Bin, 10)
	for i := range bins {
		bins[i] = grading.Bin{Lo: float64(10 * i), Hi: float64(10*i + 10)}
	}
	bins[3].Count, bins[9].Count = 4, 2
	d := grading.Distribution{N: 6, Median: grading.Known(35), Min: grading.Known(31), Max: grading.Known(100), Bins: bins}
	ch := newHistChart(loc, "h", "Scores", d, grading.Known(70), "report.pass_mark_at")
	require.Len(t, ch.Bars, 10)
	assert.InDelta(t, chartBottom-chartTop, ch.Bars[3].H, 0.05, "the tallest bar fills the height")
	assert.InDelta(t, (chartBottom-chartTop)/2, ch.Bars[9].H, 0.05)
	assert.Zero(t, ch.Bars[0].H)
	assert.Equal(t, "[30, 40): 4", ch.Bars[3].Label)
	assert.Equal(t, "[90, 100]: 2", ch.Bars[9].Label, "the last bar is closed")
	assert.True(t, ch.HasMarker)
	assert.InDelta(t, chartLeft+(chartRight-chartLeft)*0.7, ch.MarkerX, 0.05)
	assert.Contains(t, ch.Desc, "6 values; median 35.0, from 31.0 to 100.0. Pass mark 70.0")

	empty := newHistChart(loc, "h", "Scores", grading.Distribution{Bins: bins}, grading.Known(70), "report.pass_mark_at")
	assert.True(t, empty.Empty)
	assert.Empty(t, empty.Bars)
}
