package encoder_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

// talkRun is what a DTX talker sent over many frames.
type talkRun struct {
	frames, voice, dtx int
	spurts             []int // lengths in frames of each run of voice frames
	markers            int
	markerAfterDTX     bool // every marker follows a DTX frame, and every voice frame after one has it
	dtxGaps            map[int]int
	firstVoice         bool
}

func runTalker(tb testing.TB, seed uint64, frames int) talkRun {
	tb.Helper()
	a := newAudio(tb, seed, encoder.WithDTX(encoder.P59Talkspurt, encoder.P59Pause))
	r := talkRun{frames: frames, markerAfterDTX: true, dtxGaps: map[int]int{}}
	run, lastDTX, afterDTX := 0, -1, false
	var buf []byte
	for i := range frames {
		at := epoch.Add(time.Duration(i) * encoder.AudioPacketInterval)
		f := a.NextFrameInto(buf, at)
		if f.Payload == nil {
			if run > 0 {
				r.spurts = append(r.spurts, run)
			}
			run = 0
			continue
		}
		buf = f.Payload
		info, err := encoder.ParseAudio(f.Payload)
		require.NoError(tb, err)
		require.True(tb, info.Capture.Equal(at))
		if info.DTX {
			r.dtx++
			if lastDTX >= 0 && afterDTX {
				r.dtxGaps[i-lastDTX]++
			}
			if run > 0 {
				r.spurts = append(r.spurts, run)
			}
			run, lastDTX, afterDTX = 0, i, true
			assert.False(tb, f.Marker, "a DTX frame has no marker")
			continue
		}
		if i == 0 {
			r.firstVoice = true
		}
		r.voice++
		run++
		if f.Marker {
			r.markers++
		}
		if f.Marker != afterDTX {
			r.markerAfterDTX = false
		}
		afterDTX = false
	}
	return r
}

func TestTalkerFollowsP59(t *testing.T) {
	const frames = 150_000 // 50 minutes of conversation
	r := runTalker(t, 7, frames)
	// Voice frames: talkspurts plus each pause's first 200 ms, the coded
	// hangover: (1.004 + 1.587 (1 - exp(-0.2/1.587))) / 2.591 = 46.0 %.
	hang := pauseSeconds() * (1 - math.Exp(-0.2/pauseSeconds()))
	want := (encoder.P59Talkspurt.Seconds() + hang) / (encoder.P59Talkspurt.Seconds() + pauseSeconds())
	assert.InDelta(t, want, float64(r.voice)/frames, 0.02, "share of frames coded")
	// One DTX update per started 400 ms of each pause past its hangover:
	// about 1.5 a second.
	perSecond := float64(r.dtx) / (frames * encoder.AudioPacketInterval.Seconds())
	assert.InDelta(t, 1.5, perSecond, 0.2, "DTX frames per second")
	sent := float64(r.voice+r.dtx) / frames
	t.Logf("coded %.3f (want %.3f), DTX %.2f/s, packets sent %.3f of frames", float64(r.voice)/frames, want, perSecond, sent)
	assert.Less(t, sent, 0.55, "DTX sends about half the packets of continuous audio")
	assert.True(t, r.firstVoice, "the call starts in a talkspurt")
	assert.True(t, r.markerAfterDTX, "the marker is on the first voice frame after DTX, and only there")
	assert.Positive(t, r.markers)
	// Within a pause the updates are 400 ms apart.
	for gap, n := range r.dtxGaps {
		assert.Equal(t, 20, gap, "%d DTX updates %d frames apart", n, gap)
	}
	assert.NotEmpty(t, r.dtxGaps, "long pauses send several updates")
}

// pauseSeconds is the mean pause in seconds.
func pauseSeconds() float64 { return encoder.P59Pause.Seconds() }

func TestTalkerIsSeeded(t *testing.T) {
	a, b := runTalker(t, 3, 5000), runTalker(t, 3, 5000)
	c := runTalker(t, 4, 5000)
	assert.Equal(t, a, b, "same seed, same conversation")
	assert.NotEqual(t, a.spurts, c.spurts, "another seed, another conversation")
}

func TestWithDTXRejects(t *testing.T) {
	tests := []struct {
		name             string
		talkspurt, pause time.Duration
	}{
		{name: "no talkspurt", pause: time.Second},
		{name: "pause shorter than a frame", talkspurt: time.Second, pause: 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := encoder.NewAudio(1, encoder.WithDTX(tt.talkspurt, tt.pause))
			assert.ErrorContains(t, err, "audio encoder: dtx")
		})
	}
}

func TestContinuousAudioSendsEveryFrame(t *testing.T) {
	a := newAudio(t, 2)
	for i := range 1000 {
		f := a.NextFrameInto(nil, epoch.Add(time.Duration(i)*encoder.AudioPacketInterval))
		require.NotNil(t, f.Payload, "frame %d", i)
		assert.False(t, f.Marker)
		info, err := encoder.ParseAudio(f.Payload)
		require.NoError(t, err)
		assert.False(t, info.DTX)
	}
}
