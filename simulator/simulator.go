// Package simulator runs the calls that rtcdrill trainees diagnose: two
// in-process Pion WebRTC peers — the customer's app ("client") and the media
// server ("server") — connected over loopback with real ICE, DTLS-SRTP and
// RTP/RTCP, impaired per direction by the interceptors of package impair and
// measured every second with the names of the W3C webrtc-stats spec.
//
// The contracts live here (Call, Sample, Direction, Option); the parts live in
// subpackages, one feature each: impair (network impairment), encoder (a
// synthetic encoder that follows congestion control), receiver (frame
// assembly, playout, freezes, concealment) and emodel (MOS).
package simulator

import (
	"fmt"
	"time"
)

// Direction names one way of a call: uplink carries the customer's media to
// the server, downlink the server's media to the customer.
type Direction int

const (
	// Uplink is customer -> media server.
	Uplink Direction = iota
	// Downlink is media server -> customer.
	Downlink
)

// String returns "uplink" or "downlink".
func (d Direction) String() string {
	switch d {
	case Uplink:
		return "uplink"
	case Downlink:
		return "downlink"
	default:
		return fmt.Sprintf("direction(%d)", int(d))
	}
}

// ParseDirection is the inverse of Direction.String.
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "uplink", "up":
		return Uplink, nil
	case "downlink", "down":
		return Downlink, nil
	default:
		return 0, fmt.Errorf("direction %q: want uplink or downlink", s)
	}
}

// Sample is one second of a call as the customer experiences it, named as
// webrtc-stats names the figures. Receive-side figures (loss, jitter, frames,
// concealment) describe the downlink as seen by the client; roundTripTime and
// the remote-inbound figures come from the client's RTCP receiver reports as
// the media server sees them, which is where a real dashboard takes them from.
// Durations are in seconds and bitrates in bit/s, as in webrtc-stats.
type Sample struct {
	// Offset is the time since the call started.
	Offset time.Duration `json:"-"`
	// Timestamp is Offset in seconds, for JSON consumers.
	Timestamp float64 `json:"timestamp"`

	RoundTripTime float64 `json:"roundTripTime"`
	// PacketsLost, FractionLost and Jitter describe the downlink as the
	// network left it, from the client's RTCP receiver reports on the audio
	// stream: audio is sent at a constant 20 ms and never retransmitted, so
	// its loss is the network's loss (as a browser's packetsLost counts
	// packets a retransmission later repaired) and its RFC 3550 jitter is
	// the path's alone.
	PacketsLost int64 `json:"packetsLost"`
	// FractionLost is the last receiver report's fraction (0..1).
	FractionLost float64 `json:"fractionLost"`
	// Jitter is the RFC 3550 interarrival jitter, in seconds.
	Jitter float64 `json:"jitter"`
	// PacketsReceived counts downlink video packets at the client.
	PacketsReceived uint64 `json:"packetsReceived"`
	// VideoFractionLost and VideoJitter are the video stream's receiver
	// report figures: loss after NACK repair, jitter of multi-packet frames.
	VideoFractionLost float64 `json:"videoFractionLost"`
	VideoJitter       float64 `json:"videoJitter"`

	// BitrateIn is what the client received in the last second (all media, headers included).
	BitrateIn float64 `json:"bitrateIn"`
	// BitrateOut is what the client sent in the last second.
	BitrateOut float64 `json:"bitrateOut"`
	// SendBitrate is what the media server sent in the last second (video and audio).
	SendBitrate   float64 `json:"sendBitrate"`
	TargetBitrate float64 `json:"targetBitrate"`

	FramesPerSecond      float64 `json:"framesPerSecond"`
	FrameWidth           int     `json:"frameWidth"`
	FrameHeight          int     `json:"frameHeight"`
	FramesDropped        uint64  `json:"framesDropped"`
	FreezeCount          uint64  `json:"freezeCount"`
	TotalFreezesDuration float64 `json:"totalFreezesDuration"`
	NackCount            uint64  `json:"nackCount"`
	PliCount             uint64  `json:"pliCount"`

	ConcealedSamples  uint64 `json:"concealedSamples"`
	ConcealmentEvents uint64 `json:"concealmentEvents"`
	TotalSamples      uint64 `json:"totalSamplesReceived"`
	// AudioLoss is the share (0..1) of downlink audio packets missing in the last second.
	AudioLoss float64 `json:"audioLoss"`

	// EndToEndDelay is capture-to-playout of the last rendered video frame.
	EndToEndDelay float64 `json:"endToEndDelay"`
	// AudioDelay is capture-to-playout of audio: the one-way delay the E-model uses.
	AudioDelay float64 `json:"audioDelay"`
	// FirstFrameTime is call start to the first rendered frame; 0 until then.
	FirstFrameTime float64 `json:"firstFrameTime"`
	// MOS is the E-model estimate (ITU-T G.107) for the downlink audio of the last second.
	MOS float64 `json:"mos"`

	// ServerCPU is the media server's CPU load (0..1) when a scenario session models it.
	ServerCPU float64 `json:"serverCpu"`

	// UplinkFractionLost and UplinkJitter describe the customer's audio as the server receives it.
	UplinkFractionLost float64 `json:"uplinkFractionLost"`
	UplinkJitter       float64 `json:"uplinkJitter"`
}
