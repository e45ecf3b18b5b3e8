package receiver

import (
	"sort"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

type pendingFrame struct {
	key          bool
	count        int
	capture      time.Time
	width        int
	height       int
	got          []bool
	received     int
	firstArrival time.Time
	completeAt   time.Time
}

func (f *pendingFrame) complete() bool { return f.received == f.count }

// Push hands the receiver one packet that arrived at arrival. Duplicates,
// packets whose index or count contradict their frame's, and packets of a
// frame already played are ignored. Packets of a frame dropped incomplete
// still count towards the delay estimate: they show how late frames come.
// Frames are assembled from the rtcdrill header alone, which also identifies
// retransmitted copies, so seq is not needed.
func (v *Video) Push(seq uint16, info encoder.VideoInfo, arrival time.Time) {
	if info.Count <= 0 || info.Index < 0 || info.Index >= info.Count {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()

	n := info.FrameNumber
	if v.seen && before(n, v.next) {
		if v.started {
			v.pushGone(n, info, arrival)
			return
		}
		v.next = n // reordered ahead of the first frame seen
	}
	if !v.seen {
		v.seen, v.next = true, n
	}
	k, ok := v.findFrame(n)
	var f *pendingFrame
	if ok {
		f = v.frames[k].frame
	} else {
		f = &pendingFrame{
			key: info.KeyFrame, count: info.Count, capture: info.Capture,
			width: info.Width, height: info.Height,
			got: make([]bool, info.Count), firstArrival: arrival,
		}
		v.frames = append(v.frames, numberedFrame{})
		copy(v.frames[k+1:], v.frames[k:])
		v.frames[k] = numberedFrame{number: n, frame: f}
	}
	if !f.add(info, arrival) {
		return
	}
	v.observePacket(arrival.Sub(f.capture), f.received == 1)
	if f.complete() {
		v.stats.FramesReceived++
		v.observeFrame(arrival.Sub(f.capture))
	}
}

// findFrame returns the index in frames where frame n is or would go, and
// whether it is there. Frames are few and mostly arrive in order: a sorted
// slice beats a map that playout would scan every tick.
func (v *Video) findFrame(n uint32) (int, bool) {
	b := v.frames
	if len(b) == 0 || before(b[len(b)-1].number, n) {
		return len(b), false
	}
	k := sort.Search(len(b), func(k int) bool { return !before(b[k].number, n) })
	return k, k < len(b) && b[k].number == n
}

// nextFrame returns frame next if any of it arrived.
func (v *Video) nextFrame() *pendingFrame {
	if len(v.frames) > 0 && v.frames[0].number == v.next {
		return v.frames[0].frame
	}
	return nil
}

// add records a packet and reports whether it was new.
func (f *pendingFrame) add(info encoder.VideoInfo, arrival time.Time) bool {
	if f.count != info.Count || f.got[info.Index] {
		return false
	}
	f.got[info.Index] = true
	f.received++
	if f.complete() {
		f.completeAt = arrival
	}
	return true
}

func (v *Video) pushGone(n uint32, info encoder.VideoInfo, arrival time.Time) {
	f := v.gone[n]
	if f == nil || !f.add(info, arrival) {
		return
	}
	v.observePacket(arrival.Sub(f.capture), false)
	if f.complete() {
		v.observeFrame(arrival.Sub(f.capture))
		delete(v.gone, n)
	}
}

// keepGone remembers an incomplete dropped frame so that its late packets
// still teach the buffer, and forgets frames too old to matter.
func (v *Video) keepGone(n uint32, f *pendingFrame) {
	if f != nil && !f.complete() {
		v.gone[n] = f
	}
	for g := range v.gone {
		if before(g, v.next-goneWindow) {
			delete(v.gone, g)
		}
	}
}

// observePacket feeds one packet's transit to the reported jitter and, for
// a frame's first packet, to the base transit.
func (v *Video) observePacket(t time.Duration, firstOfFrame bool) {
	initial := !v.timed
	if initial {
		v.timed, v.lastTransit, v.meanTransit = true, t, t
	}
	v.jitter += ((t - v.lastTransit).Abs() - v.jitter) / jitterGain
	v.lastTransit = t
	if firstOfFrame {
		v.transits[v.nTransits%transitWindow] = t
		v.nTransits++
		v.transit = t
		for _, x := range v.transits[:min(v.nTransits, transitWindow)] {
			v.transit = min(v.transit, x)
		}
	}
	if initial {
		v.offset = v.targetOffset()
	}
}

// observeFrame feeds a completed frame's transit to the estimates that size
// the buffer.
func (v *Video) observeFrame(t time.Duration) {
	v.transitDev += ((t - v.meanTransit).Abs() - v.transitDev) / jitterGain
	v.meanTransit += (t - v.meanTransit) / jitterGain
}

// targetOffset is the render offset the buffer aims at: the mean frame
// transit plus three mean deviations plus a frame interval, held within
// [min, max] playout delay above the base transit.
func (v *Video) targetOffset() time.Duration {
	want := v.meanTransit - v.transit + jitterMultiple*v.transitDev + v.interval
	return v.transit + min(max(want, v.minDelay), v.maxDelay)
}

// adjustOffset moves the render offset towards its target after each frame:
// up at once (a short stall now beats dropping frames later), down by at most
// an eighth of a frame interval (frames play slightly fast, unnoticed).
func (v *Video) adjustOffset() {
	if target := v.targetOffset(); target > v.offset {
		v.offset = target
	} else {
		v.offset -= min(v.offset-target, v.interval/speedUpShare)
	}
}
