package receiver

import "time"

// Tick renders or drops every frame whose moment has come by now. Decisions
// are timed by the frames' own render times and arrival times, not by when
// Tick runs, so the tick period only delays the bookkeeping.
func (v *Video) Tick(now time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for v.step(now) {
	}
}

// step decides the fate of frame next if it can be decided by now, and
// reports whether it did.
func (v *Video) step(now time.Time) bool {
	if !v.seen || !v.timed {
		return false
	}
	f := v.nextFrame()
	later, laterArrival, ok := v.laterFrame()
	var due time.Time
	switch {
	case f != nil:
		due = f.capture.Add(v.offset)
	case ok:
		// Nothing of this frame arrived: estimate its capture time back
		// from the first later frame we know.
		gap := time.Duration(later.number - v.next)
		due = later.frame.capture.Add(-gap * v.interval).Add(v.offset)
	default:
		return false
	}
	if now.Before(due) {
		return false
	}
	if f != nil && !f.key && !v.decodable {
		v.drop()
		return true
	}
	// The frame is given up at giveUp: its render time, once a later frame
	// shows that what is missing is not merely late with the whole stream.
	giveUp, canGiveUp := due, ok
	if ok && laterArrival.After(giveUp) {
		giveUp = laterArrival
	}
	if f != nil && f.complete() && !f.completeAt.After(now) && (!canGiveUp || !f.completeAt.After(giveUp)) {
		v.render(f, due)
		return true
	}
	if canGiveUp && !giveUp.After(now) {
		v.drop()
		return true
	}
	return false
}

type numberedFrame struct {
	number uint32
	frame  *pendingFrame
}

// laterFrame returns the lowest-numbered frame after next and the earliest
// arrival of any packet of a frame after next.
func (v *Video) laterFrame() (numberedFrame, time.Time, bool) {
	later := v.frames
	if len(later) > 0 && later[0].number == v.next {
		later = later[1:]
	}
	if len(later) == 0 {
		return numberedFrame{}, time.Time{}, false
	}
	earliest := later[0].frame.firstArrival
	for _, nf := range later[1:] {
		if nf.frame.firstArrival.Before(earliest) {
			earliest = nf.frame.firstArrival
		}
	}
	return later[0], earliest, true
}

func (v *Video) render(f *pendingFrame, due time.Time) {
	at := due
	if f.completeAt.After(due) {
		// Late with the whole stream: play it now and keep the new pace.
		at = f.completeAt
		v.offset += f.completeAt.Sub(due)
	}
	if v.rendered && at.Before(v.lastRender) {
		at = v.lastRender
	}

	v.stats.FramesDecoded++
	v.stats.FramesRendered++
	if f.key {
		v.stats.KeyFramesDecoded++
		v.decodable, v.wantKey = true, false
	}
	v.stats.FrameWidth, v.stats.FrameHeight = f.width, f.height
	v.stats.EndToEndDelay = at.Sub(f.capture)
	if !v.rendered {
		v.stats.FirstFrame = max(at.Sub(v.start), 1)
	} else {
		if d := at.Sub(v.lastRender); v.freezes.add(d) {
			v.stats.FreezeCount++
			v.stats.TotalFreezesDuration += d
		}
		if n := v.next - v.lastNumber; n > 0 {
			if sample := f.capture.Sub(v.lastCapture) / time.Duration(n); sample > 0 {
				v.interval += (sample - v.interval) / intervalGain
			}
		}
	}
	v.rendered, v.lastRender = true, at
	v.lastNumber, v.lastCapture = v.next, f.capture
	v.advance()
}

func (v *Video) drop() {
	v.stats.FramesDropped++
	v.decodable, v.wantKey = false, true
	f := v.nextFrame()
	v.advance()
	v.keepGone(v.next-1, f)
}

func (v *Video) advance() {
	if v.nextFrame() != nil {
		n := copy(v.frames, v.frames[1:])
		v.frames[n] = numberedFrame{} // for the garbage collector
		v.frames = v.frames[:n]
	}
	v.next++
	v.started = true
	v.adjustOffset()
}

// freezeDetector applies the webrtc-stats freeze rule to inter-frame
// intervals.
type freezeDetector struct {
	window [30]time.Duration
	n      int
	pos    int
	sum    time.Duration
}

const (
	minFreezeSamples  = 5 // libwebrtc's kMinFrameSamplesToDetectFreeze
	minFreezeIncrease = 150 * time.Millisecond
)

// add records interval d and reports whether it was a freeze, judged against
// the previous intervals.
func (fd *freezeDetector) add(d time.Duration) bool {
	freeze := false
	if fd.n >= minFreezeSamples {
		mean := fd.sum / time.Duration(fd.n)
		freeze = d >= max(3*mean, mean+minFreezeIncrease)
	}
	if fd.n == len(fd.window) {
		fd.sum -= fd.window[fd.pos]
	} else {
		fd.n++
	}
	fd.window[fd.pos] = d
	fd.sum += d
	fd.pos = (fd.pos + 1) % len(fd.window)
	return freeze
}
