package simulator_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
)

// BenchmarkSetupAndRemedies times what the fault tests only check: the first
// setup over WebSocket signaling, ICE failing behind the firewall, the
// relay remedy and a media-server failover, and the RTT a relayed call adds.
// Run with -benchtime=1x; each iteration is one call.
func BenchmarkSetupAndRemedies(b *testing.B) {
	var setup, iceFail, useRelay, failover, rttDirect, rttRelay time.Duration
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		start := time.Now()
		c, err := simulator.New(ctx, simulator.WithSeed(uint64(i+1)), simulator.WithRelayDelay(relayDelay),
			simulator.WithFirewalls(true))
		require.NoError(b, err)
		setup += time.Since(start)
		rttDirect += medianRTT(b, c)

		require.NoError(b, c.SetUDPBlocked(true))
		start = time.Now()
		require.Error(b, c.ResetSession(ctx))
		iceFail += time.Since(start)

		start = time.Now()
		require.NoError(b, c.UseRelay(ctx))
		useRelay += time.Since(start)
		rttRelay += medianRTT(b, c)

		start = time.Now()
		require.NoError(b, c.FailoverServer(ctx))
		failover += time.Since(start)
		require.NoError(b, c.Close())
		cancel()
	}
	n := float64(b.N)
	b.ReportMetric(float64(setup.Milliseconds())/n, "setup-ms")
	b.ReportMetric(float64(iceFail.Milliseconds())/n, "ice-fail-ms")
	b.ReportMetric(float64(useRelay.Milliseconds())/n, "use-relay-ms")
	b.ReportMetric(float64(failover.Milliseconds())/n, "failover-ms")
	b.ReportMetric(float64(rttDirect.Microseconds())/n/1000, "rtt-direct-ms")
	b.ReportMetric(float64(rttRelay.Microseconds())/n/1000, "rtt-relay-ms")
	b.ReportMetric(float64((2 * relayDelay).Milliseconds()), "relay-added-ms")
}

// medianRTT is the median of the next five RTT reports.
func medianRTT(tb testing.TB, c *simulator.Call) time.Duration {
	tb.Helper()
	at := lastOffset(c)
	var rtts []float64
	waitFor(tb, time.Minute, "five RTT reports", func() bool {
		rtts = rtts[:0]
		for _, s := range c.Series() {
			if s.Offset > at+time.Second && s.RoundTripTime > 0 {
				rtts = append(rtts, s.RoundTripTime)
			}
		}
		return len(rtts) >= 5
	})
	sort.Float64s(rtts)
	return time.Duration(rtts[len(rtts)/2] * float64(time.Second))
}
