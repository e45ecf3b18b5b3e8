package capture

import (
	"math"
	"sort"
	"time"
)

// StreamStats is one RTP stream's analysis, the columns of Wireshark's "RTP
// Stream Analysis". Times are in milliseconds, as Wireshark shows them.
type StreamStats struct {
	Direction   Direction `json:"direction"`
	SrcPort     uint16    `json:"srcPort"`
	DstPort     uint16    `json:"dstPort"`
	SSRC        uint32    `json:"ssrc"`
	PayloadType uint8     `json:"payloadType"`
	// ClockRate is the stream's RTP clock; 0 means unknown, and the jitter
	// fields are then 0 too.
	ClockRate uint32 `json:"clockRate"`
	// Packets counts the packets seen, duplicates included.
	Packets int `json:"packets"`
	// Expected is the span of (extended) sequence numbers seen: highest -
	// lowest + 1. Losses before the first or after the last packet are
	// invisible, as in any capture.
	Expected int `json:"expected"`
	// Lost is Expected minus the distinct sequence numbers seen. Unlike
	// Wireshark, duplicates do not offset losses, so Lost is never negative.
	Lost        int     `json:"lost"`
	LostPercent float64 `json:"lostPercent"`
	// SequenceErrors counts packets whose sequence number is not one more
	// than the packet before it in arrival order: each gap, each
	// out-of-order packet and each duplicate is an error, as in Wireshark.
	SequenceErrors int `json:"sequenceErrors"`
	Duplicates     int `json:"duplicates"`
	// Reordered counts packets that arrived after a higher sequence number.
	Reordered int `json:"reordered"`
	// MaxDeltaMs is the longest gap between two consecutive packets, and
	// MaxDeltaSeq the sequence number of the packet that ended it.
	MaxDeltaMs  float64 `json:"maxDeltaMs"`
	MaxDeltaSeq uint16  `json:"maxDeltaSeq"`
	// MeanJitterMs and MaxJitterMs summarise the RFC 3550 interarrival
	// jitter estimate J after each packet but the first:
	// J += (|D| - J) / 16, D the change in transit time between
	// consecutive packets, the RTP timestamp converted by ClockRate.
	MeanJitterMs float64 `json:"meanJitterMs"`
	MaxJitterMs  float64 `json:"maxJitterMs"`
	// Start is the first packet's time, Duration the span to the last.
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"`
}

// streamKey tells streams apart as Wireshark does: by flow and SSRC.
type streamKey struct {
	dir              Direction
	srcPort, dstPort uint16
	ssrc             uint32
}

// tracker is the running state of one stream's analysis.
type tracker struct {
	s                 StreamStats
	minExt, maxExt    int64
	seen              map[int64]struct{}
	prevSeq           uint16
	prevTime          time.Time
	prevTS            uint32
	jitter, jitterSum float64
	jitterN           int
}

// Analyze runs the RTP stream analysis over packets in arrival order (as
// Packets returns them); RTCP packets are skipped. Streams come out ordered
// by direction, then ports, then SSRC.
func Analyze(packets []Packet) []StreamStats {
	streams := map[streamKey]*tracker{}
	for _, p := range packets {
		if p.Kind != RTP {
			continue
		}
		k := streamKey{p.Direction, p.SrcPort, p.DstPort, p.SSRC}
		t, ok := streams[k]
		if !ok {
			t = newTracker(p)
			streams[k] = t
			continue
		}
		t.add(p)
	}
	out := make([]StreamStats, 0, len(streams))
	for _, t := range streams {
		out = append(out, t.result())
	}
	sort.Slice(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.Direction != y.Direction {
			return x.Direction < y.Direction
		}
		if x.SrcPort != y.SrcPort {
			return x.SrcPort < y.SrcPort
		}
		if x.DstPort != y.DstPort {
			return x.DstPort < y.DstPort
		}
		return x.SSRC < y.SSRC
	})
	return out
}

func newTracker(p Packet) *tracker {
	rate := p.ClockRate
	if rate == 0 {
		rate = staticClockRate(p.PayloadType)
	}
	ext := int64(p.SequenceNumber)
	return &tracker{
		s: StreamStats{
			Direction: p.Direction, SrcPort: p.SrcPort, DstPort: p.DstPort, SSRC: p.SSRC,
			PayloadType: p.PayloadType, ClockRate: rate, Packets: 1, Start: p.Time,
		},
		minExt: ext, maxExt: ext, seen: map[int64]struct{}{ext: {}},
		prevSeq: p.SequenceNumber, prevTime: p.Time, prevTS: p.Timestamp,
	}
}

func (t *tracker) add(p Packet) {
	t.s.Packets++
	// Extend the 16-bit sequence number relative to the highest seen, so
	// wrap-around and reordering across it both land right.
	ext := t.maxExt + int64(int16(p.SequenceNumber-uint16(t.maxExt)))
	switch _, dup := t.seen[ext]; {
	case dup:
		t.s.Duplicates++
	case ext < t.maxExt:
		t.s.Reordered++
	}
	t.seen[ext] = struct{}{}
	t.maxExt = max(t.maxExt, ext)
	t.minExt = min(t.minExt, ext)
	if p.SequenceNumber != t.prevSeq+1 {
		t.s.SequenceErrors++
	}

	delta := p.Time.Sub(t.prevTime)
	if ms := durationMs(delta); ms > t.s.MaxDeltaMs {
		t.s.MaxDeltaMs, t.s.MaxDeltaSeq = ms, p.SequenceNumber
	}
	if rate := t.s.ClockRate; rate > 0 {
		tsDelta := float64(int32(p.Timestamp-t.prevTS)) * 1000 / float64(rate)
		d := math.Abs(durationMs(delta) - tsDelta)
		t.jitter += (d - t.jitter) / 16
		t.jitterSum += t.jitter
		t.jitterN++
		t.s.MaxJitterMs = math.Max(t.s.MaxJitterMs, t.jitter)
	}
	t.s.Duration = p.Time.Sub(t.s.Start)
	t.prevSeq, t.prevTime, t.prevTS = p.SequenceNumber, p.Time, p.Timestamp
}

func (t *tracker) result() StreamStats {
	s := t.s
	s.Expected = int(t.maxExt - t.minExt + 1)
	s.Lost = s.Expected - len(t.seen)
	if s.Expected > 0 {
		s.LostPercent = 100 * float64(s.Lost) / float64(s.Expected)
	}
	if t.jitterN > 0 {
		s.MeanJitterMs = t.jitterSum / float64(t.jitterN)
	}
	return s
}

func durationMs(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// staticClockRate is the clock of the static payload types of RFC 3551
// (table 4 and 5), for packets whose stream did not say; dynamic types
// (96-127) have no fixed clock and give 0.
func staticClockRate(pt uint8) uint32 {
	switch pt {
	case 0, 3, 4, 5, 7, 8, 9, 12, 13, 15, 18:
		return 8000
	case 6:
		return 16000
	case 10, 11:
		return 44100
	case 16:
		return 11025
	case 17:
		return 22050
	case 14, 25, 26, 28, 31, 32, 33, 34:
		return 90000
	default:
		return 0
	}
}
