package encoder_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

func TestPacketizeRoundTrip(t *testing.T) {
	capture := epoch.Add(1234567 * time.Microsecond)
	tests := []struct {
		name       string
		size       int
		maxPayload int
		number     uint32
		wantCount  int
		wantBytes  int // frame bytes after the descriptors
	}{
		{name: "one packet", size: 400, maxPayload: 1200, wantCount: 1, wantBytes: 400},
		{name: "exactly full", size: 1196, maxPayload: 1200, wantCount: 1, wantBytes: 1196},
		{name: "one byte over", size: 1197, maxPayload: 1200, wantCount: 2, wantBytes: 1197},
		{name: "key frame", size: 18_000, maxPayload: 1200, number: 40000, wantCount: 16, wantBytes: 18_000},
		{name: "runt frame grows to a header", size: 5, maxPayload: 1200, wantCount: 1, wantBytes: 23},
		{name: "tiny MTU raised to the minimum", size: 100, maxPayload: 10, wantCount: 5, wantBytes: 115},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := encoder.Frame{Number: tt.number, KeyFrame: tt.number > 0, Size: tt.size, Capture: capture, Width: 1280, Height: 720}
			packets := encoder.Packetize(f, tt.maxPayload)
			require.Len(t, packets, tt.wantCount)
			limit := max(tt.maxPayload, encoder.MinVideoPayload)
			bytes := 0
			for i, p := range packets {
				assert.LessOrEqual(t, len(p.Payload), limit)
				assert.Equal(t, i == len(packets)-1, p.Marker, "marker on packet %d", i)
				assert.Equal(t, i == 0, p.Payload[0]&0x10 != 0, "S bit on packet %d", i)
				pictureID := uint32(p.Payload[2]&0x7F)<<8 | uint32(p.Payload[3])
				assert.Equal(t, tt.number&0x7FFF, pictureID)
				bytes += len(p.Payload) - 4

				info, err := encoder.ParseVideo(p.Payload)
				require.NoError(t, err)
				assert.True(t, capture.Equal(info.Capture), "capture %v", info.Capture)
				info.Capture = capture
				assert.Equal(t, encoder.VideoInfo{
					FrameNumber: tt.number, KeyFrame: f.KeyFrame, Index: i, Count: tt.wantCount,
					Capture: capture, Width: 1280, Height: 720,
				}, info)
			}
			assert.Equal(t, tt.wantBytes, bytes)
		})
	}
}

func TestPacketizeSharesEvenly(t *testing.T) {
	packets := encoder.Packetize(encoder.Frame{Size: 2500}, 1200)
	require.Len(t, packets, 3)
	for _, p := range packets {
		assert.InDelta(t, 4+2500/3, len(p.Payload), 1)
	}
	// Payloads share a backing array: appending to one must not spill into
	// the next.
	next := append([]byte(nil), packets[1].Payload...)
	_ = append(packets[0].Payload, 0xFF)
	assert.Equal(t, next, packets[1].Payload)
}

func TestParseVideoRejects(t *testing.T) {
	good := encoder.Packetize(encoder.Frame{Number: 3, Size: 3000}, 1200)
	second := good[1].Payload
	tests := []struct {
		name    string
		payload []byte
		want    string
	}{
		{name: "empty", payload: nil, want: "empty payload"},
		{name: "descriptor cut", payload: []byte{0x90, 0x80, 0x80}, want: "descriptor truncated"},
		{name: "header cut", payload: good[0].Payload[:20], want: "after the descriptor"},
		{name: "foreign payload", payload: append([]byte{0x10}, make([]byte, 40)...), want: "magic"},
		{name: "S bit on a middle packet", payload: withByte(second, 0, second[0]|0x10), want: "S bit"},
		{name: "index beyond count", payload: withByte(second, 4+10, 1), want: "packet 1 of 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := encoder.ParseVideo(tt.payload)
			assert.ErrorContains(t, err, "parse video")
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestParseVideoOtherDescriptors(t *testing.T) {
	p := encoder.Packetize(encoder.Frame{Number: 9, Size: 300, Capture: epoch}, 1200)[0].Payload
	body := p[4:]
	tests := []struct {
		name       string
		descriptor []byte
	}{
		{name: "no extension", descriptor: []byte{0x10}},
		{name: "7-bit PictureID", descriptor: []byte{0x90, 0x80, 0x09}},
		{name: "PictureID, TL0PICIDX, TID", descriptor: []byte{0x90, 0xE0, 0x80, 0x09, 0x01, 0x40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := encoder.ParseVideo(append(append([]byte(nil), tt.descriptor...), body...))
			require.NoError(t, err)
			assert.Equal(t, uint32(9), info.FrameNumber)
			assert.True(t, epoch.Equal(info.Capture))
		})
	}
}

func TestAudio(t *testing.T) {
	a := newAudio(t, 5)
	const n = 5000
	total := 0
	sizes := map[int]bool{}
	for i := range n {
		capture := epoch.Add(time.Duration(i) * encoder.AudioPacketInterval)
		p := a.NextPacket(capture)
		assert.GreaterOrEqual(t, len(p), 60)
		assert.LessOrEqual(t, len(p), 120)
		assert.Equal(t, byte(0x78), p[0], "Opus TOC: hybrid full-band 20 ms")
		total += len(p)
		sizes[len(p)] = true
		info, err := encoder.ParseAudio(p)
		require.NoError(t, err)
		assert.True(t, capture.Equal(info.Capture))
	}
	kbps := float64(total*8) / (n * encoder.AudioPacketInterval.Seconds()) / 1000
	assert.InDelta(t, 32, kbps, 2, "speech bitrate")
	assert.Greater(t, len(sizes), 30, "sizes vary like VBR")
	assert.Equal(t, 960, encoder.AudioSamplesPerPacket)

	first, second := newAudio(t, 5), newAudio(t, 5)
	for range 20 {
		assert.Equal(t, first.NextPacket(epoch), second.NextPacket(epoch), "same seed, same sizes")
	}
}

func TestParseAudioRejects(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    string
	}{
		{name: "short", payload: []byte{0x78, 'R', 'A'}, want: "need 11"},
		{name: "foreign", payload: make([]byte, 80), want: "magic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := encoder.ParseAudio(tt.payload)
			assert.ErrorContains(t, err, "parse audio")
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func withByte(p []byte, i int, b byte) []byte {
	out := append([]byte(nil), p...)
	out[i] = b
	return out
}

// TestPacketizeIntoReuses checks that a reused buffer gives exactly what a
// fresh one gives, frame after frame, larger and smaller: nothing of the
// previous frame shows through.
func TestPacketizeIntoReuses(t *testing.T) {
	var (
		packets []encoder.Packet
		buf     []byte
	)
	for k, size := range []int{5000, 300, 2400, 23, 12000, 1196, 1197} {
		f := encoder.Frame{Number: uint32(k), KeyFrame: k%3 == 0, Size: size, Capture: epoch.Add(time.Duration(k) * time.Second),
			Width: 640, Height: 360}
		want := encoder.Packetize(f, 1200)
		packets, buf = encoder.PacketizeInto(packets, buf, f, 1200)
		require.Len(t, packets, len(want), "frame of %d bytes", size)
		for i := range want {
			assert.Equal(t, want[i], packets[i], "frame of %d bytes, packet %d", size, i)
		}
	}
	assert.GreaterOrEqual(t, cap(buf), 12000, "the buffer kept its largest size")
}

func newAudio(tb testing.TB, seed uint64, opts ...encoder.AudioOption) *encoder.Audio {
	tb.Helper()
	a, err := encoder.NewAudio(seed, opts...)
	require.NoError(tb, err)
	return a
}

func TestNextFrameIntoReuses(t *testing.T) {
	fresh, reused := newAudio(t, 9), newAudio(t, 9)
	var buf []byte
	for k := range 200 {
		at := epoch.Add(time.Duration(k) * encoder.AudioPacketInterval)
		want := fresh.NextPacket(at)
		buf = reused.NextFrameInto(buf, at).Payload
		require.Equal(t, want, buf, "packet %d", k)
		info, err := encoder.ParseAudio(buf)
		require.NoError(t, err)
		assert.True(t, info.Capture.Equal(at))
	}
}
