package ntp_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rtcdrill/rtcdrill/simulator/ntp"
)

func TestShort(t *testing.T) {
	// Worked by hand: 3,973,388,400 s since 1900 and a quarter second.
	sent := time.Date(2026, 11, 26, 7, 0, 0, 250_000_000, time.UTC)
	assert.Equal(t, uint32(0x57704000), ntp.Short(sent))
	assert.Equal(t, uint32(0x57704000+0x10000), ntp.Short(sent.Add(time.Second)), "one second is 65536 units")
}

func TestRoundTrip(t *testing.T) {
	sent := time.Date(2026, 11, 26, 7, 0, 0, 250_000_000, time.UTC)
	lsr := ntp.Short(sent)
	dlsr := uint32(20 * 65536 / 1000) // the receiver held the report 20 ms
	tests := []struct {
		name    string
		arrival time.Time
		lsr     uint32
		dlsr    uint32
		want    time.Duration
		ok      bool
	}{
		{"80 ms round trip", sent.Add(100 * time.Millisecond), lsr, dlsr, 80 * time.Millisecond, true},
		{"no sender report yet", sent.Add(100 * time.Millisecond), 0, dlsr, 0, false},
		{"DLSR race gives nonsense", sent.Add(100 * time.Millisecond), lsr, 0xFFFFFFFF, 0, false},
		{"report older than its hold time", sent.Add(10 * time.Millisecond), lsr, dlsr, 0, false},
		{"over ten seconds", sent.Add(11 * time.Second), lsr, dlsr, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ntp.RoundTrip(tt.arrival, tt.lsr, tt.dlsr)
			assert.Equal(t, tt.ok, ok)
			assert.InDelta(t, float64(tt.want), float64(got), float64(50*time.Microsecond))
		})
	}
}
