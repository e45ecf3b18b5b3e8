package benchmark_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator/benchmark"
)

// TestRunReportsEveryFigure runs the smallest benchmark and checks that each
// figure was measured (non-zero where a call must cost something) and that
// the table names every run. It asserts no timing: speed is for -bench.
func TestRunReportsEveryFigure(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	rep, err := benchmark.Run(context.Background(), benchmark.Config{Counts: []int{2}, Duration: time.Second,
		Impaired: benchmark.DefaultImpaired()})
	require.NoError(t, err)
	require.Len(t, rep.Bare, 1)
	require.Len(t, rep.Impaired, 1)
	for _, r := range []benchmark.Result{rep.Bare[0], rep.Impaired[0]} {
		assert.Equal(t, 2, r.Calls)
		assert.Greater(t, r.CPUPerCallSecond, 0.0, r.Kind)
		assert.Greater(t, r.ConnectP50, time.Duration(0), r.Kind)
		assert.GreaterOrEqual(t, r.ConnectP95, r.ConnectP50, r.Kind)
		assert.GreaterOrEqual(t, r.FirstMediaP50, r.ConnectP50, "%s: media flows only once connected", r.Kind)
		assert.GreaterOrEqual(t, r.FirstMediaP95, r.FirstMediaP50, r.Kind)
		assert.Greater(t, r.GoroutinesPerCall, 10.0, "a call runs Pion's goroutines and its own")
	}
	var buf bytes.Buffer
	require.NoError(t, benchmark.WriteTable(&buf, rep))
	assert.Contains(t, buf.String(), "impaired/bare")
	assert.Contains(t, buf.String(), "bare")
	assert.Equal(t, "dtx", rep.Audio, "the calls' default audio")
	assert.Contains(t, buf.String(), "audio: talkers with Opus DTX")
}

// TestRunRepeats measures each kind twice, alternating which goes first,
// and reports every run besides the medians.
func TestRunRepeats(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	rep, err := benchmark.Run(context.Background(), benchmark.Config{Counts: []int{1}, Duration: 500 * time.Millisecond,
		Impaired: benchmark.DefaultImpaired(), Repeat: 2, ContinuousAudio: true})
	require.NoError(t, err)
	assert.Equal(t, "continuous", rep.Audio)
	require.Len(t, rep.Runs, 4)
	var kinds []string
	for _, r := range rep.Runs {
		kinds = append(kinds, r.Kind)
		assert.Greater(t, r.CPUPerCallSecond, 0.0)
	}
	assert.Equal(t, []string{"bare", "impaired", "impaired", "bare"}, kinds)
	require.Len(t, rep.Bare, 1)
	require.Len(t, rep.Impaired, 1)
	assert.Contains(t, []benchmark.Result{rep.Runs[0], rep.Runs[3]}, rep.Bare[0], "the median is one of the runs")
	assert.Contains(t, []benchmark.Result{rep.Runs[1], rep.Runs[2]}, rep.Impaired[0])
}

// BenchmarkCalls reports the cost of 10 concurrent calls of each kind;
// `rtcdrill bench` covers 50 and 200.
func BenchmarkCalls(b *testing.B) {
	for i := 0; i < b.N; i++ {
		rep, err := benchmark.Run(context.Background(), benchmark.Config{Counts: []int{10}, Duration: 5 * time.Second,
			Impaired: benchmark.DefaultImpaired()})
		if err != nil {
			b.Fatal(err)
		}
		bare, imp := rep.Bare[0], rep.Impaired[0]
		b.ReportMetric(bare.CPUPerCallSecond, "bare-cpu-s/call-s")
		b.ReportMetric(imp.CPUPerCallSecond, "impaired-cpu-s/call-s")
		b.ReportMetric(imp.CPUPerCallSecond/bare.CPUPerCallSecond, "impaired/bare")
		b.ReportMetric(float64(bare.ConnectP95.Microseconds())/1000, "connect-p95-ms")
		b.ReportMetric(float64(bare.FirstMediaP95.Microseconds())/1000, "first-media-p95-ms")
	}
}
