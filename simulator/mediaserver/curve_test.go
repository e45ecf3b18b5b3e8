package mediaserver_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/mediaserver"
)

const ms = time.Millisecond

func TestCurveAt(t *testing.T) {
	custom := mediaserver.Curve{Threshold: 0.5, MaxDelay: 100 * ms, MaxJitter: 40 * ms, MaxLoss: 0.2, MaxFrameDrop: 0.4}
	for _, tc := range []struct {
		name               string
		curve              mediaserver.Curve
		cpu                float64
		delay, jitter      time.Duration
		loss, drop, excess float64
	}{
		{"idle", mediaserver.DefaultCurve(), 0.1, 0, 0, 0, 0, 0},
		{"at the threshold", mediaserver.DefaultCurve(), 0.8, 0, 0, 0, 0, 0},
		{"85 %", mediaserver.DefaultCurve(), 0.85, 7500 * time.Microsecond, 5 * ms, 0.00625, 0.015625, 0.25},
		{"90 %", mediaserver.DefaultCurve(), 0.9, 30 * ms, 20 * ms, 0.025, 0.0625, 0.5},
		{"95 %", mediaserver.DefaultCurve(), 0.95, 67500 * time.Microsecond, 45 * ms, 0.05625, 0.140625, 0.75},
		{"saturated", mediaserver.DefaultCurve(), 1, 120 * ms, 80 * ms, 0.1, 0.25, 1},
		{"custom threshold", custom, 0.75, 25 * ms, 10 * ms, 0.05, 0.1, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			overlay, drop := tc.curve.At(tc.cpu)
			require.NoError(t, overlay.Validate())
			assert.InDelta(t, tc.excess, tc.curve.Overload(tc.cpu), 1e-9)
			assert.InDelta(t, float64(tc.delay), float64(overlay.Delay), 2)
			assert.InDelta(t, float64(tc.jitter), float64(overlay.Jitter), 2)
			assert.InDelta(t, tc.loss, overlay.Loss, 1e-9)
			assert.InDelta(t, tc.drop, drop, 1e-9)
			assert.False(t, overlay.Outage)
		})
	}
	t.Run("grows with the load", func(t *testing.T) {
		c := mediaserver.DefaultCurve()
		var prev float64
		for cpu := 0.81; cpu <= 1; cpu += 0.01 {
			o, drop := c.At(cpu)
			assert.Greater(t, drop, prev, "cpu %.2f", cpu)
			assert.Greater(t, o.Delay, time.Duration(0))
			prev = drop
		}
	})
}

func TestValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"cpu above 1", mediaserver.Load{CPU: 1.2}.Validate()},
		{"negative memory", mediaserver.Load{Memory: -0.1}.Validate()},
		{"negative sessions", mediaserver.Load{Sessions: -1}.Validate()},
		{"threshold of 1", mediaserver.Curve{Threshold: 1}.Validate()},
		{"negative delay", mediaserver.Curve{Threshold: 0.8, MaxDelay: -ms}.Validate()},
		{"loss above 1", mediaserver.Curve{Threshold: 0.8, MaxLoss: 2}.Validate()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorIs(t, tc.err, mediaserver.ErrInvalid)
		})
	}
	assert.NoError(t, mediaserver.DefaultCurve().Validate())
	assert.NoError(t, mediaserver.Load{CPU: 1, Memory: 0, Sessions: 0}.Validate())
}
