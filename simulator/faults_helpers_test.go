package simulator_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator"
)

// remedyTimeout is generous: a remedy that fails waits for ICE to fail.
const remedyTimeout = 2 * time.Minute

// noLeaks checks, after the test's other cleanups (registered later, run
// earlier), that every goroutine the test started is gone. The fault tests
// are not parallel: goleak looks at the whole process.
func noLeaks(tb testing.TB) {
	tb.Helper()
	opt := goleak.IgnoreCurrent()
	tb.Cleanup(func() { goleak.VerifyNone(tb, opt) })
}

// newFaultCall starts a call that may fail to connect: New returns once
// the first setup has connected or failed.
func newFaultCall(tb testing.TB, opts ...simulator.Option) *simulator.Call {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), remedyTimeout)
	defer cancel()
	// Fault tests switch the network mid-call: they need the firewalls.
	c, err := simulator.New(ctx, append([]simulator.Option{simulator.WithFirewalls(true)}, opts...)...)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		assert.NoError(tb, c.Close())
		assert.NoError(tb, c.Close(), "Close is idempotent")
	})
	return c
}

func remedyCtx(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), remedyTimeout)
	tb.Cleanup(cancel)
	return ctx
}

// logText is the call's log as lines.
func logText(c *simulator.Call) string {
	var b strings.Builder
	for _, e := range c.Log() {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// requireLog checks that the log has a line matching each pattern, as the
// scenarios' evidence patterns are matched.
func requireLog(tb testing.TB, c *simulator.Call, patterns ...string) {
	tb.Helper()
	text := logText(c)
	for _, p := range patterns {
		assert.Regexp(tb, regexp.MustCompile(p), text, "log line %q", p)
	}
}

// requireBroken checks the symptom of a call whose setup failed: a failed
// leg, nothing received since before, and a silent last second.
func requireBroken(tb testing.TB, c *simulator.Call, videoBefore uint64) {
	tb.Helper()
	assert.Equal(tb, simulator.StateFailed, c.State(), "leg %+v", c.Leg())
	assert.Equal(tb, videoBefore, c.Measured().VideoPackets, "no video reached the customer")
	at := lastOffset(c)
	waitFor(tb, remedyTimeout, "a sample after the failure", func() bool { return len(c.Series()) > 0 && lastOffset(c) > at })
	s := c.Series()
	last := s[len(s)-1]
	assert.Zero(tb, last.FramesPerSecond)
	assert.Zero(tb, last.BitrateIn)
	assert.Equal(tb, 1.0, last.MOS, "the customer hears nothing")
}

// requireFlowing waits for media after a remedy: two seconds of samples
// later, one with frames rendered at the rendition's rate, audio at good
// quality, and the call connected.
func requireFlowing(tb testing.TB, c *simulator.Call) simulator.Sample {
	tb.Helper()
	at := lastOffset(c)
	waitFor(tb, remedyTimeout, "media flowing again", func() bool {
		s := c.Series()
		if len(s) == 0 {
			return false
		}
		l := s[len(s)-1]
		return l.Offset > at+2*time.Second && l.FramesPerSecond >= 20 && l.MOS > 3.5
	})
	assert.Equal(tb, simulator.StateConnected, c.State())
	s := c.Series()
	return s[len(s)-1]
}

func lastOffset(c *simulator.Call) time.Duration {
	s := c.Series()
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1].Offset
}
