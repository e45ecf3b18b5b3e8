package browserfeed

import (
	"time"

	"github.com/pion/webrtc/v4/pkg/media"
)

// maxLag is how far the pump may fall behind its schedule (a loaded
// machine) before it moves the schedule instead of catching up. It never
// skips a frame: a VP8 delta frame needs the ones before it, so a skipped
// frame would corrupt the picture until the next key frame.
const maxLag = 200 * time.Millisecond

// pump sends the video and the audio, each on its own schedule of frame
// times. The samples' durations advance the RTP timestamps, so the loops
// run on with continuous timestamps.
func (f *Feed) pump() {
	defer f.workers.Done()
	clock := f.cfg.clock
	nextVideo, nextAudio := clock.Now(), clock.Now()
	var vi, ai int
	timer := clock.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-f.ctx.Done():
			return
		case <-timer.C():
		}
		now := clock.Now()
		if now.Sub(nextVideo) > maxLag {
			nextVideo = now
		}
		for !nextVideo.After(now) {
			nextVideo = nextVideo.Add(f.sendVideo(&vi))
		}
		if now.Sub(nextAudio) > maxLag {
			nextAudio = now
		}
		for !nextAudio.After(now) {
			nextAudio = nextAudio.Add(f.sendAudio(&ai))
		}
		next := nextVideo
		if nextAudio.Before(next) {
			next = nextAudio
		}
		timer.Reset(next.Sub(clock.Now()))
	}
}

// sendVideo sends frame *i of the current clip, first switching to a
// pending rendition if this frame is one of its key frames, and returns the
// frame's duration.
func (f *Feed) sendVideo(i *int) time.Duration {
	f.mu.Lock()
	if p := f.pending; p != nil && p.frames[*i%len(p.frames)].key {
		f.current, f.pending = p, nil
		f.counters.switches++
	}
	clip := f.current
	f.mu.Unlock()
	*i %= len(clip.frames)
	fr := clip.frames[*i]
	err := f.video.WriteSample(media.Sample{Data: fr.data, Duration: fr.dur})
	*i++
	f.mu.Lock()
	f.counters.videoFrames++
	if fr.key {
		f.counters.keyFrames++
	}
	if *i == len(clip.frames) {
		f.counters.videoLoops++
	}
	if err != nil {
		f.counters.writeErrors++
	}
	f.mu.Unlock()
	return fr.dur
}

// sendAudio sends packet *i of the speech and returns its duration.
func (f *Feed) sendAudio(i *int) time.Duration {
	*i %= len(f.speech)
	p := f.speech[*i]
	err := f.audio.WriteSample(media.Sample{Data: p.data, Duration: p.dur})
	*i++
	f.mu.Lock()
	f.counters.audioPackets++
	if err != nil {
		f.counters.writeErrors++
	}
	f.mu.Unlock()
	return p.dur
}
