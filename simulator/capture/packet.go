package capture

import (
	"fmt"
	"time"
)

// Direction tells whether the recording peer sent or received a packet.
type Direction int

const (
	// Sent packets are what the application wrote, before the network.
	Sent Direction = iota
	// Received packets are what survived the network, as the application
	// reads them.
	Received
)

// String names the direction as the analysis table shows it.
func (d Direction) String() string {
	switch d {
	case Sent:
		return "sent"
	case Received:
		return "received"
	default:
		return fmt.Sprintf("direction(%d)", int(d))
	}
}

// MarshalText keeps the direction readable in JSON for the web UI.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Kind tells RTP from RTCP; with rtcp-mux both share one port, as here.
type Kind int

const (
	// RTP is a media packet.
	RTP Kind = iota
	// RTCP is one compound RTCP datagram (Pion sends a batch as one).
	RTCP
)

// String names the kind.
func (k Kind) String() string {
	if k == RTCP {
		return "rtcp"
	}
	return "rtp"
}

// Default synthetic ports of the export: the customer's app and the media
// server each use one port for RTP and RTCP (rtcp-mux), as WebRTC does. They
// are labels in the pcap only; nothing listens on them.
const (
	ClientPort uint16 = 50000
	ServerPort uint16 = 50002
)

// Packet is one recorded datagram. The RTP fields are parsed at capture time
// so an analysis need not parse every packet again; they are zero for RTCP.
type Packet struct {
	// Time is when the interceptor saw the packet (injected clock).
	Time      time.Time
	Direction Direction
	Kind      Kind
	// SrcPort and DstPort place the packet in the synthetic UDP flow.
	SrcPort, DstPort uint16
	// Data is the whole RTP packet (header and payload) or the compound
	// RTCP datagram, in clear.
	Data []byte

	SSRC           uint32
	SequenceNumber uint16
	Timestamp      uint32
	PayloadType    uint8
	Marker         bool
	// ClockRate is the negotiated clock rate of the packet's stream, from
	// the stream's codec; 0 when unknown.
	ClockRate uint32
}

// clone copies Data, so a snapshot does not alias the ring's buffers, which
// are reused once their slot is overwritten.
func (p Packet) clone() Packet {
	p.Data = append([]byte(nil), p.Data...)
	return p
}
