package simulator

import (
	"sync"
	"time"

	"github.com/pion/rtcp"

	"github.com/rtcdrill/rtcdrill/simulator/ntp"
)

// remoteView is what the far end's RTCP receiver reports say about one of
// our outgoing streams — webrtc-stats' remote-inbound-rtp — plus the NACKs
// the stream's sender received. It is fed from the RTCP the call already
// drains on every sender (drainRTCP), so it costs nothing per RTP packet;
// pion's stats interceptor, which produced the same figures from the same
// reports, did work on every packet of both peers.
type remoteView struct {
	ssrc      uint32
	clockRate float64

	mu           sync.Mutex
	fractionLost float64
	packetsLost  int64
	jitter       float64       // seconds
	rtt          time.Duration // the latest plausible measurement; 0 before one
	nacks        uint64
}

// remoteStats is a copy of a remoteView's figures.
type remoteStats struct {
	FractionLost float64
	PacketsLost  int64
	Jitter       float64
	RTT          time.Duration
	NACKs        uint64
}

func newRemoteView(ssrc uint32, clockRate uint32) *remoteView {
	return &remoteView{ssrc: ssrc, clockRate: float64(clockRate)}
}

// observe takes the report blocks and NACKs about this stream from a batch
// of RTCP that arrived at arrival (wall clock: Pion stamps its sender
// reports with it).
func (v *remoteView) observe(pkts []rtcp.Packet, arrival time.Time) {
	if v == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, p := range pkts {
		switch p := p.(type) {
		case *rtcp.ReceiverReport:
			v.reports(p.Reports, arrival)
		case *rtcp.SenderReport:
			v.reports(p.Reports, arrival)
		case *rtcp.TransportLayerNack:
			if p.MediaSSRC == v.ssrc {
				v.nacks++ // webrtc-stats nackCount counts NACK packets
			}
		}
	}
}

func (v *remoteView) reports(blocks []rtcp.ReceptionReport, arrival time.Time) {
	for _, r := range blocks {
		if r.SSRC != v.ssrc {
			continue
		}
		v.fractionLost = float64(r.FractionLost) / 256
		v.packetsLost = int64(r.TotalLost)
		if v.clockRate > 0 {
			v.jitter = float64(r.Jitter) / v.clockRate
		}
		if rtt, ok := ntp.RoundTrip(arrival, r.LastSenderReport, r.Delay); ok {
			v.rtt = rtt
		}
	}
}

// snapshot copies the figures.
func (v *remoteView) snapshot() remoteStats {
	if v == nil {
		return remoteStats{}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return remoteStats{FractionLost: v.fractionLost, PacketsLost: v.packetsLost, Jitter: v.jitter,
		RTT: v.rtt, NACKs: v.nacks}
}
