package simulator_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// loadLibrary loads the repository's scenarios.d.
func loadLibrary(tb testing.TB) *scenarios.Library {
	tb.Helper()
	lib, err := scenarios.Load(filepath.Join("..", "scenarios.d"))
	require.NoError(tb, err)
	require.Empty(tb, lib.Problems(), "scenarios.d must be valid")
	return lib
}

// startSession starts and runs a scenario session for a test.
func startSession(tb testing.TB, lib *scenarios.Library, id string, seed uint64) *simulator.Session {
	tb.Helper()
	sc, err := lib.Scenario(id)
	require.NoError(tb, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := simulator.NewSession(ctx, sc, lib.Catalog(), simulator.WithVariantSeed(seed))
	require.NoError(tb, err)
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background()) }()
	tb.Cleanup(func() {
		assert.NoError(tb, s.Close())
		assert.NoError(tb, <-done)
	})
	return s
}

// waitSeries waits until the session's timeline reaches offset.
func waitSeries(tb testing.TB, s *simulator.Session, offset time.Duration) []simulator.Sample {
	tb.Helper()
	waitFor(tb, 4*offset+time.Minute, "timeline at "+offset.String(), func() bool {
		ss := s.Series()
		return len(ss) > 0 && ss[len(ss)-1].Offset >= offset
	})
	return s.Series()
}

// TestLibrarySymptoms plays every scenario the media engine can run and
// checks that its symptom shows: within the call's first 40 s (or its
// length, if shorter), some 3-second window of metrics satisfies every
// evidence condition the scenario names.
func TestLibrarySymptoms(t *testing.T) {
	lib := loadLibrary(t)
	ran := 0
	for _, sc := range lib.Scenarios() {
		if len(simulator.Unsupported(sc)) > 0 || len(sc.Answer.Evidence.Metrics) == 0 {
			continue
		}
		ran++
		t.Run(string(sc.ID), func(t *testing.T) {
			t.Parallel()
			s := startSession(t, lib, string(sc.ID), 1)
			limit := min(s.Variant().Duration(), 40*time.Second)
			var seen bool
			waitFor(t, 3*time.Minute, "the evidence "+evidenceText(sc), func() bool {
				ss := s.Series()
				for i := 3; i <= len(ss) && !seen; i++ {
					seen = sc.Answer.Evidence.Holds(simulator.SmoothedMetrics(ss[i-3 : i]))
				}
				if !seen && len(ss) > 0 && ss[len(ss)-1].Offset > limit {
					t.Fatalf("no 3 s window in %v satisfies %s; last: %+v", limit, evidenceText(sc), ss[len(ss)-1])
				}
				return seen
			})
		})
	}
	require.GreaterOrEqual(t, ran, 5, "runnable scenarios with metric evidence")
}

func evidenceText(sc *scenarios.Scenario) string {
	out := ""
	for _, c := range sc.Answer.Evidence.Metrics {
		out += c.String() + "; "
	}
	return out
}
