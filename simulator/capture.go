package simulator

import (
	"errors"
	"fmt"
	"io"

	"github.com/rtcdrill/rtcdrill/simulator/capture"
)

// Captured returns the RTP and RTCP the customer's app sent and received
// lately (a bounded ring: the last minute or 10,000 packets), as seen
// before encryption; nil for a call built without WithCapture.
func (c *Call) Captured() []capture.Packet {
	if c.capture == nil {
		return nil
	}
	return c.capture.Packets()
}

// WritePCAP writes the captured packets as a pcap file that Wireshark and
// tshark open (RTP and RTCP on UDP ports 50000 and 50002, decode as RTP).
func (c *Call) WritePCAP(w io.Writer) error {
	if c.capture == nil {
		return errors.New("simulator: pcap: call built without capture (WithCapture)")
	}
	if err := capture.WritePCAP(w, c.Captured()); err != nil {
		return fmt.Errorf("simulator: pcap: %w", err)
	}
	return nil
}

// StreamAnalysis is Wireshark's "RTP Stream Analysis" of the captured
// packets: per SSRC and direction, packets, lost, sequence errors, max
// delta and jitter.
func (c *Call) StreamAnalysis() []capture.StreamStats { return capture.Analyze(c.Captured()) }
