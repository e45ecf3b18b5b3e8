// Package nack is generic NACK (RFC 4585 section 6.2.1) for simulated
// calls, timed as libwebrtc times it rather than as
// pion/interceptor/pkg/nack does:
//
//   - The Generator, on the receiving side, asks for a missing packet as
//     soon as a later one shows the gap and again only once a round trip
//     has passed without it, up to a retry limit (libwebrtc's
//     NackRequester). Pion's asks on a fixed 100 ms tick, so with a round
//     trip over 100 ms every lost packet was asked for twice before the
//     first retransmission could arrive, and the duplicate NACKs and
//     retransmissions were counted as real traffic.
//   - The Generator works on the stream's reading goroutine; pion's woke a
//     ticker goroutine on every PeerConnection ten times a second.
//   - The Responder, on the sending side, keeps what it sent for
//     max(1 s, 3 RTT) in reused buffers (libwebrtc's RtpPacketHistory) and
//     retransmits a packet at most once per round trip; pion's copied every
//     packet into a new allocation and kept the last 1024.
//
// Retransmissions go out on the original SSRC (no RTX), as pion's responder
// sends them when RTX is not negotiated. Both sides take the round trip from
// the reception reports they read (RFC 3550 LSR/DLSR).
package nack

import (
	"sync/atomic"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"

	"github.com/rtcdrill/rtcdrill/simulator/ntp"
)

// DefaultRTT is the round trip assumed until a reception report gives one:
// libwebrtc's kDefaultRttMs.
const DefaultRTT = 100 * time.Millisecond

// supportsNACK reports whether a stream negotiated generic NACK feedback
// (a "nack" without parameter; "nack pli" is a key-frame request).
func supportsNACK(info *interceptor.StreamInfo) bool {
	for _, fb := range info.RTCPFeedback {
		if fb.Type == "nack" && fb.Parameter == "" {
			return true
		}
	}
	return false
}

// rttTracker keeps the latest round trip read from reception reports.
type rttTracker struct {
	rtt atomic.Int64 // nanoseconds; 0 until the first report
}

// get returns the latest round trip, or DefaultRTT before any.
func (r *rttTracker) get() time.Duration {
	if d := time.Duration(r.rtt.Load()); d > 0 {
		return d
	}
	return DefaultRTT
}

// observe takes the round trip from the reception reports among pkts, which
// arrived at now.
func (r *rttTracker) observe(pkts []rtcp.Packet, now time.Time) {
	for _, p := range pkts {
		var blocks []rtcp.ReceptionReport
		switch rep := p.(type) {
		case *rtcp.ReceiverReport:
			blocks = rep.Reports
		case *rtcp.SenderReport:
			blocks = rep.Reports
		default:
			continue
		}
		for _, b := range blocks {
			if d, ok := ntp.RoundTrip(now, b.LastSenderReport, b.Delay); ok {
				r.rtt.Store(int64(d))
			}
		}
	}
}

// rtcpReader returns reader with the reception reports it yields fed to
// rtt; the parsed packets are kept in the attributes for the interceptors
// that read them next.
func rtcpReader(reader interceptor.RTCPReader, rtt *rttTracker, now func() time.Time,
	more func([]rtcp.Packet)) interceptor.RTCPReader {
	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		if attr == nil {
			attr = make(interceptor.Attributes)
		}
		pkts, err := attr.GetRTCPPackets(b[:n])
		if err != nil {
			return 0, nil, err
		}
		rtt.observe(pkts, now())
		if more != nil {
			more(pkts)
		}
		return n, attr, nil
	})
}
