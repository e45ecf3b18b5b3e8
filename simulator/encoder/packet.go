package encoder

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Wire layout of a video payload:
//
//	VP8 payload descriptor (RFC 7741), 4 bytes:
//	  X=1, N=0, S=1 on a frame's first packet, PID=0;
//	  I=1; 15-bit PictureID (M=1) = frame number mod 2^15
//	rtcdrill header, 23 bytes, big-endian:
//	  magic "RV", frame number (4), flags (1, bit 0 = key frame),
//	  packet index (2), packet count (2), capture time in unix nanos (8),
//	  width (2), height (2)
//	zero padding up to the packet's share of the frame size
//
// The header and padding stand in for the VP8 bitstream and count towards the
// frame size, so the RTP payload bytes of a frame are its size plus 4 bytes of
// descriptor per packet, as with real VP8.
const (
	vp8DescriptorLen = 4
	videoHeaderLen   = 23
	videoMagic       = "RV"

	// MinVideoPayload is the smallest maxPayload Packetize honours: a
	// descriptor, a header and one byte of frame data.
	MinVideoPayload = vp8DescriptorLen + videoHeaderLen + 1

	maxPackets = 0xFFFF
)

// Packet is one RTP payload of a frame, with the RTP marker bit to set on it.
type Packet struct {
	Payload []byte
	// Marker is true on the last packet of a frame, as RFC 7741 requires.
	Marker bool
}

// VideoInfo is what ParseVideo reads back from a payload.
type VideoInfo struct {
	FrameNumber   uint32
	KeyFrame      bool
	Index, Count  int
	Capture       time.Time
	Width, Height int
}

// Packetize splits f into RTP payloads of at most maxPayload bytes, in equal
// shares as libwebrtc does, so no runt packet ends a frame. maxPayload below
// MinVideoPayload is raised to it. A frame too large for 65535 packets is cut
// to that many; no real frame comes near it.
func Packetize(f Frame, maxPayload int) []Packet {
	packets, _ := PacketizeInto(nil, nil, f, maxPayload)
	return packets
}

// PacketizeInto is Packetize reusing packets' and buf's storage, which it
// returns (grown if needed) for the next frame: a sender that writes each
// frame before the next, to writers that copy what they keep, as Pion's do,
// allocates nothing per frame.
func PacketizeInto(packets []Packet, buf []byte, f Frame, maxPayload int) ([]Packet, []byte) {
	maxPayload = max(maxPayload, MinVideoPayload)
	perPacket := maxPayload - vp8DescriptorLen
	size := max(f.Size, videoHeaderLen)
	count := min((size+perPacket-1)/perPacket, maxPackets)
	size = min(size, count*perPacket)
	share := func(i int) int {
		n := max(size/count, videoHeaderLen)
		if i < size%count {
			n++
		}
		return min(n, perPacket)
	}
	total := 0
	for i := range count {
		total += vp8DescriptorLen + share(i)
	}

	// One backing array for the whole frame; each payload's capacity is cut
	// to its length so that appending to one cannot overwrite the next.
	if cap(buf) < total {
		buf = make([]byte, total)
	}
	buf = buf[:total]
	clear(buf)
	if cap(packets) < count {
		packets = make([]Packet, count)
	}
	packets = packets[:count]
	pictureID := uint16(f.Number & 0x7FFF)
	var flags byte
	if f.KeyFrame {
		flags = 1
	}
	off := 0
	for i := range count {
		n := vp8DescriptorLen + share(i)
		p := buf[off : off+n : off+n]
		off += n
		p[0] = 0x80 // X
		if i == 0 {
			p[0] |= 0x10 // S: start of the frame's partition
		}
		p[1] = 0x80 // I: PictureID present
		binary.BigEndian.PutUint16(p[2:], 0x8000|pictureID)
		h := p[vp8DescriptorLen:]
		copy(h, videoMagic)
		binary.BigEndian.PutUint32(h[2:], f.Number)
		h[6] = flags
		binary.BigEndian.PutUint16(h[7:], uint16(i))
		binary.BigEndian.PutUint16(h[9:], uint16(count))
		binary.BigEndian.PutUint64(h[11:], uint64(f.Capture.UnixNano()))
		binary.BigEndian.PutUint16(h[19:], uint16(f.Width))
		binary.BigEndian.PutUint16(h[21:], uint16(f.Height))
		packets[i] = Packet{Payload: p, Marker: i == count-1}
	}
	return packets, buf
}

// ParseVideo reads a payload made by Packetize. It skips the VP8 descriptor by
// its own flags (RFC 7741 section 4.2), so descriptors rewritten by a
// middlebox still parse.
func ParseVideo(payload []byte) (VideoInfo, error) {
	n, start, err := vp8DescriptorSize(payload)
	if err != nil {
		return VideoInfo{}, fmt.Errorf("parse video: %w", err)
	}
	h := payload[n:]
	if len(h) < videoHeaderLen {
		return VideoInfo{}, fmt.Errorf("parse video: %d bytes after the descriptor, need %d", len(h), videoHeaderLen)
	}
	if string(h[:2]) != videoMagic {
		return VideoInfo{}, fmt.Errorf("parse video: magic %q: not an rtcdrill payload", h[:2])
	}
	info := VideoInfo{
		FrameNumber: binary.BigEndian.Uint32(h[2:]),
		KeyFrame:    h[6]&1 == 1,
		Index:       int(binary.BigEndian.Uint16(h[7:])),
		Count:       int(binary.BigEndian.Uint16(h[9:])),
		Capture:     time.Unix(0, int64(binary.BigEndian.Uint64(h[11:]))),
		Width:       int(binary.BigEndian.Uint16(h[19:])),
		Height:      int(binary.BigEndian.Uint16(h[21:])),
	}
	if info.Index >= info.Count {
		return VideoInfo{}, fmt.Errorf("parse video: packet %d of %d", info.Index, info.Count)
	}
	if start != (info.Index == 0) {
		return VideoInfo{}, fmt.Errorf("parse video: S bit %t on packet %d", start, info.Index)
	}
	return info, nil
}

// vp8DescriptorSize returns the length of the VP8 payload descriptor at the
// start of p and its S bit.
func vp8DescriptorSize(p []byte) (int, bool, error) {
	if len(p) < 1 {
		return 0, false, fmt.Errorf("empty payload")
	}
	n, start := 1, p[0]&0x10 != 0
	if p[0]&0x80 == 0 { // no extension byte
		return n, start, nil
	}
	if len(p) < 2 {
		return 0, false, fmt.Errorf("descriptor truncated")
	}
	ext := p[1]
	n++
	if ext&0x80 != 0 { // I: PictureID, 7 or 15 bits
		if len(p) < n+1 {
			return 0, false, fmt.Errorf("descriptor truncated")
		}
		if p[n]&0x80 != 0 {
			n += 2
		} else {
			n++
		}
	}
	if ext&0x40 != 0 { // L: TL0PICIDX
		n++
	}
	if ext&0x30 != 0 { // T or K: TID/Y/KEYIDX
		n++
	}
	if len(p) < n {
		return 0, false, fmt.Errorf("descriptor truncated")
	}
	return n, start, nil
}
