package simulator_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
)

// startCall starts a call for a test and closes it when the test ends.
func startCall(tb testing.TB, opts ...simulator.Option) *simulator.Call {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := simulator.New(ctx, opts...)
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = c.Close() })
	select {
	case <-c.Connected():
	case <-ctx.Done():
		tb.Fatalf("no media within 60s: %v", ctx.Err())
	}
	return c
}

// waitFor polls cond until it holds or the generous deadline passes: tests
// wait on conditions, never on fixed sleeps, so a loaded machine is slower
// but not wrong.
func waitFor(tb testing.TB, deadline time.Duration, what string, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("timed out after %v waiting for %s", deadline, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// samplesAfter waits until the call has a sample at or past offset and
// returns the samples from `from` on.
func samplesBetween(tb testing.TB, c *simulator.Call, from, to time.Duration) []simulator.Sample {
	tb.Helper()
	waitFor(tb, 4*to+time.Minute, "samples up to "+to.String(), func() bool {
		s := c.Series()
		return len(s) > 0 && s[len(s)-1].Offset >= to
	})
	var out []simulator.Sample
	for _, s := range c.Series() {
		if s.Offset >= from && s.Offset <= to {
			out = append(out, s)
		}
	}
	return out
}
