package capture_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/capture"
)

// rfcJitter replays RFC 3550's estimator (section 6.4.1) over arrivals, in
// milliseconds: an independent implementation of what Analyze should report.
func rfcJitter(arrivals []arrival, clockRate float64) (mean, maxJ float64) {
	var j, sum float64
	for k := 1; k < len(arrivals); k++ {
		a, b := arrivals[k-1], arrivals[k]
		transitChange := float64(b.at-a.at)/float64(time.Millisecond) - float64(int32(b.ts-a.ts))*1000/clockRate
		if transitChange < 0 {
			transitChange = -transitChange
		}
		j += (transitChange - j) / 16
		sum += j
		maxJ = max(maxJ, j)
	}
	return sum / float64(len(arrivals)-1), maxJ
}

// jittery delays every odd packet by 10 ms: each transit change is 10 ms.
func jittery() []arrival {
	in := regular(200, 1, 20*time.Millisecond, 48000, 7, 111)
	for k := range in {
		if k%2 == 1 {
			in[k].at += 10 * time.Millisecond
		}
	}
	return in
}

// swap exchanges the arrival order of packets k and k+1, keeping times.
func swap(in []arrival, k int) []arrival {
	out := append([]arrival(nil), in...)
	out[k].seq, out[k+1].seq = out[k+1].seq, out[k].seq
	out[k].ts, out[k+1].ts = out[k+1].ts, out[k].ts
	return out
}

func TestAnalyze(t *testing.T) {
	clean := regular(100, 1000, 20*time.Millisecond, 48000, 7, 111)
	dup := append(append(append([]arrival(nil), clean[:50]...), clean[49]), clean[50:]...)
	for k := 50; k < len(dup); k++ {
		dup[k].at += 20 * time.Millisecond // the copy takes its own slot in time
	}
	for _, tc := range []struct {
		name      string
		arrivals  []arrival
		clockRate uint32
		want      capture.StreamStats // the counters; timing fields checked below
		maxDelta  time.Duration
	}{
		{"clean", clean, 48000,
			capture.StreamStats{Packets: 100, Expected: 100}, 20 * time.Millisecond},
		{"every tenth lost", without(clean, 10, 20, 30, 40, 50, 60, 70, 80, 90), 48000,
			capture.StreamStats{Packets: 91, Expected: 100, Lost: 9, SequenceErrors: 9}, 40 * time.Millisecond},
		{"burst of five lost", without(clean, 40, 41, 42, 43, 44), 48000,
			capture.StreamStats{Packets: 95, Expected: 100, Lost: 5, SequenceErrors: 1}, 120 * time.Millisecond},
		{"head and tail loss is invisible", clean[3 : len(clean)-3], 48000,
			capture.StreamStats{Packets: 94, Expected: 94}, 20 * time.Millisecond},
		// 1 2 4 3 5: 4, 3 and 5 each break the +1 rule; 3 came after 4.
		{"one swap", swap(clean, 20), 48000,
			capture.StreamStats{Packets: 100, Expected: 100, SequenceErrors: 3, Reordered: 1}, 20 * time.Millisecond},
		{"one duplicate", dup, 48000,
			capture.StreamStats{Packets: 101, Expected: 100, SequenceErrors: 1, Duplicates: 1}, 20 * time.Millisecond},
		{"sequence wraps", regular(40, 65520, 20*time.Millisecond, 48000, 7, 111), 48000,
			capture.StreamStats{Packets: 40, Expected: 40}, 20 * time.Millisecond},
		{"loss across the wrap", without(regular(40, 65520, 20*time.Millisecond, 48000, 7, 111), 15, 16, 17),
			48000, capture.StreamStats{Packets: 37, Expected: 40, Lost: 3, SequenceErrors: 1}, 80 * time.Millisecond},
		{"jitter", jittery(), 48000,
			capture.StreamStats{Packets: 200, Expected: 200}, 30 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			_, ci := newCapture(t, clock)
			receive(t, clock, ci, tc.clockRate, 100, tc.arrivals)
			got := capture.Analyze(ci.Packets())
			require.Len(t, got, 1)
			s := got[0]
			assert.Equal(t, uint32(7), s.SSRC)
			assert.Equal(t, uint8(111), s.PayloadType)
			assert.Equal(t, tc.clockRate, s.ClockRate)
			assert.Equal(t, capture.Received, s.Direction)
			assert.Equal(t, capture.ServerPort, s.SrcPort)
			assert.Equal(t, capture.ClientPort, s.DstPort)
			assert.Equal(t, tc.want.Packets, s.Packets, "packets")
			assert.Equal(t, tc.want.Expected, s.Expected, "expected")
			assert.Equal(t, tc.want.Lost, s.Lost, "lost")
			assert.InDelta(t, 100*float64(tc.want.Lost)/float64(tc.want.Expected), s.LostPercent, 1e-9)
			assert.Equal(t, tc.want.SequenceErrors, s.SequenceErrors, "sequence errors")
			assert.Equal(t, tc.want.Duplicates, s.Duplicates, "duplicates")
			assert.Equal(t, tc.want.Reordered, s.Reordered, "reordered")
			assert.InDelta(t, float64(tc.maxDelta)/1e6, s.MaxDeltaMs, 1e-9, "max delta")
			last := tc.arrivals[len(tc.arrivals)-1]
			assert.Equal(t, last.at-tc.arrivals[0].at, s.Duration)
			mean, maxJ := rfcJitter(tc.arrivals, float64(tc.clockRate))
			assert.InDelta(t, mean, s.MeanJitterMs, 1e-9, "mean jitter")
			assert.InDelta(t, maxJ, s.MaxJitterMs, 1e-9, "max jitter")
		})
	}
}

func TestAnalyzeJitterConverges(t *testing.T) {
	clock := newFakeClock()
	_, ci := newCapture(t, clock)
	receive(t, clock, ci, 48000, 100, jittery())
	s := capture.Analyze(ci.Packets())[0]
	// Each transit change is 10 ms, so J climbs towards 10 ms and, after
	// 199 steps, sits within 10*(15/16)^199 ~ 3e-5 ms of it.
	assert.InDelta(t, 10, s.MaxJitterMs, 1e-3)
	assert.Less(t, s.MeanJitterMs, s.MaxJitterMs)
	assert.Greater(t, s.MeanJitterMs, 8.0)
}

func TestAnalyzeSeparatesStreams(t *testing.T) {
	for _, tc := range []struct {
		name      string
		clockRate uint32
		pt        uint8
		wantRate  uint32
	}{
		{"negotiated clock", 90000, 96, 90000},
		{"static payload type without a clock", 0, 0, 8000},
		{"dynamic payload type without a clock", 0, 100, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			_, ci := newCapture(t, clock)
			a := regular(30, 1, 20*time.Millisecond, 8000, 0xA, tc.pt)
			b := without(regular(30, 500, 20*time.Millisecond, 8000, 0xB, tc.pt), 5)
			receive(t, clock, ci, tc.clockRate, 50, a)
			receive(t, clock, ci, tc.clockRate, 50, b)
			got := capture.Analyze(ci.Packets())
			require.Len(t, got, 2)
			assert.Equal(t, []uint32{0xA, 0xB}, []uint32{got[0].SSRC, got[1].SSRC})
			assert.Equal(t, []int{0, 1}, []int{got[0].Lost, got[1].Lost})
			assert.Equal(t, tc.wantRate, got[0].ClockRate)
			if tc.wantRate == 0 {
				assert.Zero(t, got[0].MaxJitterMs, "no clock, no jitter")
			}
		})
	}
}
