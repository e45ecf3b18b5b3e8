package webui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/grading"
)

// Charts are drawn on the server as inline SVG: Go computes the geometry,
// the rpt_line and rpt_hist partials draw it, so pages need no script and
// no CDN, and html/template escapes every label.

// The chart frame in SVG user units; the SVG scales to its container.
const (
	chartW      = 560.0
	chartH      = 220.0
	chartLeft   = 52.0
	chartRight  = chartW - 16
	chartTop    = 16.0
	chartBottom = chartH - 34
)

// chartTick is an axis label at a position along its axis.
type chartTick struct {
	Pos   float64
	Label string
}

// chartDot is a data point with its value for the tooltip.
type chartDot struct {
	X, Y  float64
	Label string
}

// chartFrame is what both chart kinds share.
type chartFrame struct {
	ID, Title, Desc          string
	W, H                     float64
	Left, Right, Top, Bottom float64
	XTicks, YTicks           []chartTick
	Empty                    bool
}

func newFrame(id, title string) chartFrame {
	return chartFrame{ID: id, Title: title, W: chartW, H: chartH,
		Left: chartLeft, Right: chartRight, Top: chartTop, Bottom: chartBottom}
}

// chartPoint is one day's value of a trend.
type chartPoint struct {
	At    time.Time
	Value grading.Figure
}

// lineChart is a trend over time with an optional target line.
type lineChart struct {
	chartFrame
	// Path is the SVG path of the series; an undefined day breaks it.
	Path      string
	Dots      []chartDot
	HasTarget bool
	TargetY   float64
	Target    string
}

// lineSpec describes a trend chart: its y range from 0 to YMax (raised to
// fit the data and the target), and how values read.
type lineSpec struct {
	ID, Title string
	YMax      float64
	Target    grading.Figure
	Format    func(float64) string
}

func px(v float64) float64 { return math.Round(v*10) / 10 }

// newLineChart lays out pts (in time order) on the frame. Undefined values
// are left out of the path, so a day without a defined figure shows as a
// gap, never as a zero.
func newLineChart(loc *Locale, spec lineSpec, pts []chartPoint) lineChart {
	ch := lineChart{chartFrame: newFrame(spec.ID, spec.Title)}
	yMax := spec.YMax
	var defined []chartPoint
	for _, p := range pts {
		if p.Value.OK {
			defined = append(defined, p)
			yMax = max(yMax, p.Value.Value)
		}
	}
	if spec.Target.OK {
		yMax = max(yMax, spec.Target.Value)
	}
	if len(defined) == 0 {
		ch.Empty = true
		ch.Desc = loc.T("report.chart_empty")
		return ch
	}
	if yMax <= 0 {
		yMax = 1
	}
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	x := func(t time.Time) float64 {
		if !t1.After(t0) {
			return px((chartLeft + chartRight) / 2)
		}
		return px(chartLeft + (chartRight-chartLeft)*float64(t.Sub(t0))/float64(t1.Sub(t0)))
	}
	y := func(v float64) float64 { return px(chartBottom - (chartBottom-chartTop)*v/yMax) }
	var path strings.Builder
	pen := "M"
	for _, p := range pts {
		if !p.Value.OK {
			pen = "M"
			continue
		}
		fmt.Fprintf(&path, "%s%.1f %.1f ", pen, x(p.At), y(p.Value.Value))
		pen = "L"
		ch.Dots = append(ch.Dots, chartDot{X: x(p.At), Y: y(p.Value.Value),
			Label: p.At.Format("2006-01-02") + ": " + spec.Format(p.Value.Value)})
	}
	ch.Path = strings.TrimSpace(path.String())
	for i := 0; i <= 4; i++ {
		v := yMax * float64(i) / 4
		ch.YTicks = append(ch.YTicks, chartTick{Pos: y(v), Label: spec.Format(v)})
	}
	ch.XTicks = append(ch.XTicks, chartTick{Pos: x(t0), Label: t0.Format("01-02")})
	if t1.After(t0) {
		ch.XTicks = append(ch.XTicks, chartTick{Pos: x(t1), Label: t1.Format("01-02")})
	}
	last := defined[len(defined)-1]
	ch.Desc = loc.T("report.chart_desc", len(defined), t0.Format("2006-01-02"), t1.Format("2006-01-02"), spec.Format(last.Value.Value))
	if spec.Target.OK {
		ch.HasTarget, ch.TargetY = true, y(spec.Target.Value)
		ch.Target = loc.T("report.chart_target", spec.Format(spec.Target.Value))
		ch.Desc += " " + ch.Target
	}
	return ch
}

// trendCharts draws the four desk figures over time, each against its
// target (the score has none).
func trendCharts(loc *Locale, trend []grading.Period, t grading.Targets) []lineChart {
	pick := func(f func(grading.KPIs) grading.Figure) []chartPoint {
		pts := make([]chartPoint, 0, len(trend))
		for _, p := range trend {
			pts = append(pts, chartPoint{At: p.Start, Value: f(p.KPIs)})
		}
		return pts
	}
	pct := func(v float64) string { return fmt.Sprintf("%.0f%%", v) }
	minutes := func(v float64) string { return fmtDuration(time.Duration(v * float64(time.Minute))) }
	ahtMin := func(k grading.KPIs) grading.Figure {
		if !k.AHTSeconds.OK {
			return k.AHTSeconds
		}
		return grading.Known(k.AHTSeconds.Value / 60)
	}
	return []lineChart{
		newLineChart(loc, lineSpec{ID: "trend-score", Title: loc.T("report.chart_score"), YMax: 100,
			Format: func(v float64) string { return fmt.Sprintf("%.0f", v) }},
			pick(func(k grading.KPIs) grading.Figure { return k.MeanScore })),
		newLineChart(loc, lineSpec{ID: "trend-fcr", Title: loc.T("report.chart_fcr"), YMax: 100,
			Target: grading.Known(t.FCR), Format: pct}, pick(func(k grading.KPIs) grading.Figure { return k.FCR })),
		newLineChart(loc, lineSpec{ID: "trend-aht", Title: loc.T("report.chart_aht"), YMax: 2 * t.AHT.Minutes(),
			Target: grading.Known(t.AHT.Minutes()), Format: minutes}, pick(ahtMin)),
		newLineChart(loc, lineSpec{ID: "trend-csat", Title: loc.T("report.chart_csat"), YMax: 100,
			Target: grading.Known(t.CSAT), Format: pct}, pick(func(k grading.KPIs) grading.Figure { return k.CSAT })),
	}
}

// histBar is one bar of a histogram.
type histBar struct {
	X, Y, W, H float64
	Count      int
	Label      string
}

// histChart is a score distribution: ten 10-point bars and an optional
// marker such as the pass mark.
type histChart struct {
	chartFrame
	Bars      []histBar
	HasMarker bool
	MarkerX   float64
	Marker    string
}

// newHistChart draws grading's ten bins over 0-100; marker, when defined,
// is a vertical line at that score.
func newHistChart(loc *Locale, id, title string, d grading.Distribution, marker grading.Figure, markerKey string) histChart {
	ch := histChart{chartFrame: newFrame(id, title)}
	if d.N == 0 {
		ch.Empty = true
		ch.Desc = loc.T("report.chart_empty")
		return ch
	}
	top := 1
	for _, b := range d.Bins {
		top = max(top, b.Count)
	}
	x := func(v float64) float64 { return px(chartLeft + (chartRight-chartLeft)*v/100) }
	y := func(n float64) float64 { return px(chartBottom - (chartBottom-chartTop)*n/float64(top)) }
	for _, b := range d.Bins {
		closing := ")"
		if b.Hi >= 100 {
			closing = "]"
		}
		ch.Bars = append(ch.Bars, histBar{X: x(b.Lo) + 1, W: x(b.Hi) - x(b.Lo) - 2, Y: y(float64(b.Count)),
			H: px(chartBottom - y(float64(b.Count))), Count: b.Count,
			Label: fmt.Sprintf("[%g, %g%s: %d", b.Lo, b.Hi, closing, b.Count)})
	}
	for v := 0.0; v <= 100; v += 20 {
		ch.XTicks = append(ch.XTicks, chartTick{Pos: x(v), Label: fmt.Sprintf("%g", v)})
	}
	step := max(1, int(math.Ceil(float64(top)/4)))
	for n := 0; n <= top; n += step {
		ch.YTicks = append(ch.YTicks, chartTick{Pos: y(float64(n)), Label: fmt.Sprint(n)})
	}
	ch.Desc = loc.T("report.hist_desc", d.N, fmtScore(d.Median), fmtScore(d.Min), fmtScore(d.Max))
	if marker.OK {
		ch.HasMarker, ch.MarkerX = true, x(math.Min(math.Max(marker.Value, 0), 100))
		ch.Marker = loc.T(markerKey, fmtScore(marker))
		ch.Desc += " " + ch.Marker
	}
	return ch
}

// distView is a distribution's summary figures.
type distView struct {
	N                              int
	Mean, Min, Q1, Median, Q3, Max string
}

func newDistView(d grading.Distribution) distView {
	return distView{N: d.N, Mean: fmtScore(d.Mean), Min: fmtScore(d.Min), Q1: fmtScore(d.Q1),
		Median: fmtScore(d.Median), Q3: fmtScore(d.Q3), Max: fmtScore(d.Max)}
}
