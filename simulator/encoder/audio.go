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
	opusTOC        = 0x78
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
}

// Audio is a synthetic Opus speech encoder. It is safe for concurrent use.
type Audio struct {
	mu  sync.Mutex
	rng *rand.Rand
}

// NewAudio returns an encoder whose packet sizes follow seed.
func NewAudio(seed uint64) *Audio {
	return &Audio{rng: rand.New(rand.NewPCG(seed, 0x6f707573))}
}

// NextPacket returns the payload of the 20 ms packet captured at capture.
func (a *Audio) NextPacket(capture time.Time) []byte { return a.NextPacketInto(nil, capture) }

// NextPacketInto is NextPacket reusing buf's storage when it is large enough,
// for a sender whose writers copy what they keep.
func (a *Audio) NextPacketInto(buf []byte, capture time.Time) []byte {
	a.mu.Lock()
	n := int(math.Round(audioMeanBytes + audioSDBytes*a.rng.NormFloat64()))
	a.mu.Unlock()
	n = min(max(n, audioMinBytes), audioMaxBytes)
	if cap(buf) < n {
		buf = make([]byte, audioMaxBytes)
	}
	p := buf[:n]
	clear(p)
	p[0] = opusTOC
	copy(p[1:], audioMagic)
	binary.BigEndian.PutUint64(p[1+len(audioMagic):], uint64(capture.UnixNano()))
	return p
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
	return AudioInfo{Capture: time.Unix(0, int64(nanos))}, nil
}
