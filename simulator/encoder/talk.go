package encoder

import (
	"errors"
	"math"
	"math/rand/v2"
	"time"
)

// Conversational speech as ITU-T P.59 (artificial conversational speech)
// measures it: a talker's talkspurts last 1.004 s on average and the pauses
// between them 1.587 s, so each side of a conversation speaks 38.7 % of the
// time. Durations here are exponential with those means (Brady's on-off
// model, on which P.59 builds).
const (
	// P59Talkspurt is the mean talkspurt.
	P59Talkspurt = 1004 * time.Millisecond
	// P59Pause is the mean pause.
	P59Pause = 1587 * time.Millisecond
)

// Opus DTX as libopus does it: the first 200 ms of a pause are still coded
// (NB_SPEECH_FRAMES_BEFORE_DTX), then one DTX frame goes out every 400 ms
// (MAX_CONSECUTIVE_DTX) and the frames between are not sent at all.
const (
	dtxHangoverFrames = 10
	dtxUpdateFrames   = 20
)

type frameKind int

const (
	frameVoice frameKind = iota // coded speech (or the hangover after it)
	frameDTX                    // a DTX update: the receiver plays comfort noise
	frameNone                   // silence between DTX updates: nothing sent
)

// talker alternates talkspurts and pauses, frame by frame.
type talker struct {
	rng                 *rand.Rand
	talkMean, pauseMean float64 // in frames
	talking             bool
	left                int  // frames left in the current talkspurt or pause
	quiet               int  // frames since the pause began
	muted               bool // DTX silence since the last voice frame
}

// WithDTX makes the encoder a talker: talkspurts and pauses with the given
// means (P59Talkspurt and P59Pause for a conversation), and Opus DTX in the
// pauses, as a WebRTC app sends when usedtx=1 is negotiated. The call starts
// in a talkspurt.
func WithDTX(talkspurt, pause time.Duration) AudioOption {
	return func(a *Audio) error {
		if talkspurt < AudioPacketInterval || pause < AudioPacketInterval {
			return errors.New("dtx: talkspurt and pause must be at least one 20 ms frame")
		}
		t := &talker{
			rng:       rand.New(rand.NewPCG(a.rng.Uint64(), 0x74616c6b)),
			talkMean:  float64(talkspurt) / float64(AudioPacketInterval),
			pauseMean: float64(pause) / float64(AudioPacketInterval),
			talking:   true,
		}
		t.left = t.draw(t.talkMean)
		a.talk = t
		return nil
	}
}

func (t *talker) draw(mean float64) int {
	return max(1, int(math.Round(t.rng.ExpFloat64()*mean)))
}

// next returns what the next frame is, and whether it carries the RTP
// marker (the first voice frame after DTX silence).
func (t *talker) next() (frameKind, bool) {
	if t.left == 0 {
		t.talking = !t.talking
		mean := t.pauseMean
		if t.talking {
			mean = t.talkMean
		}
		t.left, t.quiet = t.draw(mean), 0
	}
	t.left--
	if t.talking {
		marker := t.muted
		t.muted = false
		return frameVoice, marker
	}
	t.quiet++
	switch {
	case t.quiet <= dtxHangoverFrames:
		return frameVoice, false
	case (t.quiet-dtxHangoverFrames-1)%dtxUpdateFrames == 0:
		t.muted = true
		return frameDTX, false
	default:
		return frameNone, false
	}
}
