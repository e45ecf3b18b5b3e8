package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseUnit(t *testing.T) {
	tests := []struct {
		u    unit
		in   string
		want float64
		err  string
	}{
		{u: unitPercent, in: "12%", want: 0.12},
		{u: unitPercent, in: "0.5%", want: 0.005},
		{u: unitPercent, in: "100%", want: 1},
		{u: unitPercent, in: "100.1%", err: "over 100%"},
		{u: unitPercent, in: "12", err: "not a percentage"},
		{u: unitPercent, in: "-1%", err: "must not be negative"},
		{u: unitPercent, in: "NaN%", err: "not a percentage"},
		{u: unitDuration, in: "150ms", want: 150e6},
		{u: unitDuration, in: "2s", want: 2e9},
		{u: unitDuration, in: "1m30s", want: 90e9},
		{u: unitDuration, in: "1.5s", want: 1.5e9},
		{u: unitDuration, in: "150", err: "not a duration"},
		{u: unitDuration, in: "150 ms", err: "not a duration"},
		{u: unitDuration, in: "1d", err: "not a duration"},
		{u: unitDuration, in: "-5ms", err: "must not be negative"},
		{u: unitBitrate, in: "800kbps", want: 800e3},
		{u: unitBitrate, in: "2Mbps", want: 2e6},
		{u: unitBitrate, in: "1.5Gbps", want: 1.5e9},
		{u: unitBitrate, in: "64bps", want: 64},
		{u: unitBitrate, in: "2MBps", err: "not a bitrate"},
		{u: unitBitrate, in: "2mbps", err: "not a bitrate"},
		{u: unitBitrate, in: "2M", err: "not a bitrate"},
		{u: unitSize, in: "30KB", want: 30e3},
		{u: unitSize, in: "64KiB", want: 65536},
		{u: unitSize, in: "1500B", want: 1500},
		{u: unitSize, in: "30kb", err: "not a size"},
		{u: unitCount, in: "5000", want: 5000},
		{u: unitCount, in: "5e3", err: "not a whole number"},
		{u: unitCount, in: "99999999999999999999", err: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseUnit(tt.u, tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.InDelta(t, tt.want, got, 1e-9)
		})
	}
}

func TestFormatUnitRoundTrips(t *testing.T) {
	tests := []struct {
		u  unit
		in string
	}{
		{unitPercent, "12.5%"}, {unitDuration, "150ms"}, {unitBitrate, "800kbps"}, {unitBitrate, "2Mbps"},
		{unitSize, "1500B"}, {unitCount, "42"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := parseUnit(tt.u, tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.in, formatUnit(tt.u, v))
		})
	}
}
