package simulator

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/stretchr/testify/assert"

	"github.com/rtcdrill/rtcdrill/simulator/ntp"
)

// TestRemoteView checks the RFC 3550 arithmetic on hand-built reports: the
// RTT from LSR and DLSR, loss and jitter in the stream's clock, NACKs for
// this stream only, and reports about other streams ignored.
func TestRemoteView(t *testing.T) {
	sent := time.Date(2026, 11, 26, 7, 0, 0, 250_000_000, time.UTC)
	// Worked by hand: 3,973,388,400 s since 1900 and a quarter second.
	const lsr = uint32(0x57704000)
	assert.Equal(t, lsr, ntp.Short(sent), "NTP short format of the send time")
	dlsr := uint32(20 * 65536 / 1000) // the receiver held the report 20 ms
	tests := []struct {
		name    string
		arrival time.Time
		block   rtcp.ReceptionReport
		wantRTT time.Duration
	}{
		{"80 ms round trip", sent.Add(100 * time.Millisecond),
			rtcp.ReceptionReport{SSRC: 7, FractionLost: 26, TotalLost: 40, Jitter: 480, LastSenderReport: lsr, Delay: dlsr}, 80 * time.Millisecond},
		{"no sender report yet", sent.Add(100 * time.Millisecond),
			rtcp.ReceptionReport{SSRC: 7, FractionLost: 26, TotalLost: 40, Jitter: 480}, 0},
		{"DLSR race gives nonsense", sent.Add(100 * time.Millisecond),
			rtcp.ReceptionReport{SSRC: 7, FractionLost: 26, TotalLost: 40, Jitter: 480, LastSenderReport: lsr, Delay: 0xFFFFFFFF}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newRemoteView(7, 48000)
			other := tt.block
			other.SSRC, other.FractionLost = 8, 255
			v.observe([]rtcp.Packet{
				&rtcp.ReceiverReport{Reports: []rtcp.ReceptionReport{other, tt.block}},
				&rtcp.TransportLayerNack{MediaSSRC: 7},
				&rtcp.TransportLayerNack{MediaSSRC: 8},
			}, tt.arrival)
			s := v.snapshot()
			assert.InDelta(t, 26.0/256, s.FractionLost, 1e-9)
			assert.Equal(t, int64(40), s.PacketsLost)
			assert.InDelta(t, 0.010, s.Jitter, 1e-9, "480 ticks of a 48 kHz clock")
			assert.InDelta(t, float64(tt.wantRTT), float64(s.RTT), float64(50*time.Microsecond))
			assert.Equal(t, uint64(1), s.NACKs)
		})
	}
	var nilView *remoteView
	nilView.observe([]rtcp.Packet{&rtcp.TransportLayerNack{MediaSSRC: 7}}, sent)
	assert.Equal(t, remoteStats{}, nilView.snapshot())
}
