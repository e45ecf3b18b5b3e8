package encoder

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// Opus timing as WebRTC uses it: 20 ms frames on a 48 kHz RTP clock.
const (
	// AudioSamplesPerPacket is the RTP timestamp step between packets.
	AudioSamplesPerPacket = 960
	// AudioPacketInterval is the time one packet covers.
	AudioPacketInterval = 20 * time.Millisecond
)

// Wire layout of an audio payload: the Opus TOC byte 0x78 (config 15, hybrid
// full-band 20 ms, mono, one frame: what libopus picks for speech at
// 32 kbit/s), magic "RA", capture time in unix nanos (8 bytes, big-endian),
// zero padding to the packet size.
const (
	opusTOC = 0x78
	// opusDTXTOC starts a DTX frame: config 1 (SILK narrow-band 20 ms), the
	// mode libopus falls to in silence. A real DTX frame is 1-2 bytes;
	// this one also carries the magic and the capture time (11 bytes), so
	// the receiver can time it.
	opusDTXTOC     = 0x08
	audioMagic     = "RA"
	audioHeaderLen = 1 + len(audioMagic) + 8

	// Speech at ~32 kbit/s is 80 bytes per 20 ms on average; VBR spreads
	// packets over roughly 60-120 bytes with the talker's activity.
	audioMeanBytes = 80
	audioSDBytes   = 14
	audioMinBytes  = 60
	audioMaxBytes  = 120
)

// AudioInfo is what ParseAudio reads back from a payload.
type AudioInfo struct {
	Capture time.Time
	// DTX marks a discontinuous-transmission frame: the talker is silent
	// and the receiver plays comfort noise until the next packet.
	DTX bool
}

// AudioFrame is what the encoder made of one 20 ms frame.
type AudioFrame struct {
	// Payload is nil when nothing is sent: silence between DTX updates.
	Payload []byte
	// Marker is set on the first packet of a talkspurt after DTX silence,
	// as RFC 7587 (section 4.1) requires.
	Marker bool
}

// Audio is a synthetic Opus speech encoder. It is safe for concurrent use.
type Audio struct {
	mu   sync.Mutex
	rng  *rand.Rand
	talk *talker // nil: continuous transmission
}

// AudioOption configures an Audio encoder; it returns an error for a value
// it cannot take, as pion/interceptor's options do.
type AudioOption func(*Audio) error

// NewAudio returns an encoder whose packet sizes follow seed. Without
// options it sends every 20 ms frame.
func NewAudio(seed uint64, opts ...AudioOption) (*Audio, error) {
	a := &Audio{rng: rand.New(rand.NewPCG(seed, 0x6f707573))}
	for _, o := range opts {
		if err := o(a); err != nil {
			return nil, fmt.Errorf("audio encoder: %w", err)
		}
	}
	return a, nil
}

// NextPacket returns the payload of the 20 ms frame captured at capture,
// nil when the frame is not sent.
func (a *Audio) NextPacket(capture time.Time) []byte { return a.NextFrameInto(nil, capture).Payload }

// NextFrameInto encodes the 20 ms frame captured at capture, reusing buf's
// storage when it is large enough, for a sender whose writers copy what
// they keep.
func (a *Audio) NextFrameInto(buf []byte, capture time.Time) AudioFrame {
	a.mu.Lock()
	kind, marker := frameVoice, false
	if a.talk != nil {
		kind, marker = a.talk.next()
	}
	n := int(math.Round(audioMeanBytes + audioSDBytes*a.rng.NormFloat64()))
	a.mu.Unlock()
	toc := byte(opusTOC)
	switch kind {
	case frameNone:
		return AudioFrame{}
	case frameDTX:
		n, toc = audioHeaderLen, opusDTXTOC
	default:
		n = min(max(n, audioMinBytes), audioMaxBytes)
	}
	if cap(buf) < n {
		buf = make([]byte, audioMaxBytes)
	}
	p := buf[:n]
	clear(p)
	p[0] = toc
	copy(p[1:], audioMagic)
	binary.BigEndian.PutUint64(p[1+len(audioMagic):], uint64(capture.UnixNano()))
	return AudioFrame{Payload: p, Marker: marker}
}

// ParseAudio reads a payload made by NextPacket.
func ParseAudio(payload []byte) (AudioInfo, error) {
	if len(payload) < audioHeaderLen {
		return AudioInfo{}, fmt.Errorf("parse audio: payload of %d bytes, need %d", len(payload), audioHeaderLen)
	}
	if string(payload[1:1+len(audioMagic)]) != audioMagic {
		return AudioInfo{}, fmt.Errorf("parse audio: magic %q: not an rtcdrill payload", payload[1:1+len(audioMagic)])
	}
	nanos := binary.BigEndian.Uint64(payload[1+len(audioMagic):])
	return AudioInfo{Capture: time.Unix(0, int64(nanos)), DTX: payload[0] == opusDTXTOC}, nil
}
