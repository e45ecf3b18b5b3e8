package encoder

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// Rate-control constants. A key frame costs keyFrameFactor frame budgets; the
// excess is paid half before a scheduled key frame (the encoder knows it is
// coming) and the rest after it, each over half a second: a key-frame period
// costs exactly its budget, and a one-second bitrate meter reads the target
// within ±7 % wherever its window starts (±6.3 % measured). A forced key
// frame (PLI) cannot be saved for, so the second around it reads up to ~11 %
// high. Delta frames come out at about 0.9 budgets around a key frame, so a
// key frame is 4.2-5.3x a delta frame (before size noise), in the range of
// libvpx's real-time mode.
const (
	keyFrameFactor = 4.2
	keyFrameNoise  = 0.05 // key frame sizes vary ±5 %
	deltaNoise     = 0.10 // delta frame sizes vary ±10 % (scene activity)
	minDeltaShare  = 0.3  // a delta frame never drops below 30 % of its budget,
	maxDeltaShare  = 2.0  // nor exceeds twice it, however large the debt
	noiseWindow    = 3    // frames over which size noise is evened out
)

// VideoOption configures a Video; it returns an error for a value that makes
// no sense rather than silently adjusting it.
type VideoOption func(*Video) error

// WithKeyFrameInterval sets the period of scheduled key frames (default 2 s,
// the WebRTC norm). Forced key frames (PLI, rendition change) restart it.
func WithKeyFrameInterval(d time.Duration) VideoOption {
	return func(v *Video) error {
		if d <= 0 {
			return fmt.Errorf("key frame interval %v: must be positive", d)
		}
		v.keyInterval = d
		return nil
	}
}

// WithMinBitrate sets the floor of the target bitrate in bit/s (default
// 100 kbit/s, the floor of pion's loss-based controller). A rendition's
// ceiling wins over the floor when the floor is above it.
func WithMinBitrate(bps int64) VideoOption {
	return func(v *Video) error {
		if bps <= 0 {
			return fmt.Errorf("min bitrate %d: must be positive", bps)
		}
		v.minBitrate = bps
		return nil
	}
}

// WithInitialBitrate sets the target before the congestion controller's first
// estimate (default: the rendition's ceiling).
func WithInitialBitrate(bps int64) VideoOption {
	return func(v *Video) error {
		if bps <= 0 {
			return fmt.Errorf("initial bitrate %d: must be positive", bps)
		}
		v.requested = bps
		return nil
	}
}

// WithSeed seeds the frame-size noise (default 1), so that a run repeats
// byte for byte.
func WithSeed(seed uint64) VideoOption {
	return func(v *Video) error {
		v.seed = seed
		return nil
	}
}

// Video is a synthetic VP8 encoder: it decides the type and size of each
// frame. It is safe for concurrent use, because the congestion controller
// sets the target from its own goroutine while the frame loop runs.
type Video struct {
	keyInterval time.Duration
	minBitrate  int64
	seed        uint64

	mu          sync.Mutex
	rng         *rand.Rand
	rendition   Rendition
	requested   int64 // the controller's last target, before clamping
	number      uint32
	started     bool
	sinceKey    int     // frames since the last key frame
	keyPending  bool    // a key frame was asked for
	debt        float64 // bits produced beyond the budget so far
	paybackLeft int     // frames left to pay back a key frame's excess
}

// NewVideo returns an encoder for rendition r. Its first frame is a key frame.
func NewVideo(r Rendition, opts ...VideoOption) (*Video, error) {
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("new video encoder: %w", err)
	}
	v := &Video{
		keyInterval: 2 * time.Second,
		minBitrate:  100_000,
		seed:        1,
		rendition:   r,
		requested:   r.MaxBitrate,
	}
	for _, opt := range opts {
		if err := opt(v); err != nil {
			return nil, fmt.Errorf("new video encoder: %w", err)
		}
	}
	v.rng = rand.New(rand.NewPCG(v.seed, 0x72746364726c6c))
	return v, nil
}

// SetTargetBitrate sets the bitrate the rate control aims at from the next
// frame on. The effective target is clamped to [floor, rendition ceiling];
// the requested value is kept, so that a move to a larger rendition can use
// more of it.
func (v *Video) SetTargetBitrate(bps int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.requested = bps
}

// TargetBitrate returns the effective (clamped) target in bit/s.
func (v *Video) TargetBitrate() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.target()
}

func (v *Video) target() int64 {
	return max(min(max(v.requested, v.minBitrate), v.rendition.MaxBitrate), 1)
}

// SetRendition switches resolution; the next frame is a key frame at the new
// size, because a decoder cannot predict across a resolution change. A
// rendition with non-positive fields is ignored: switching to it could only
// break the stream.
func (v *Video) SetRendition(r Rendition) {
	if r.validate() != nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.rendition = r
	v.keyPending = true
}

// Rendition returns the current rendition.
func (v *Video) Rendition() Rendition {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.rendition
}

// RequestKeyFrame makes the next frame a key frame, as a PLI or FIR from the
// receiver does.
func (v *Video) RequestKeyFrame() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.keyPending = true
}

// FrameInterval returns the time between frames at the current rendition.
func (v *Video) FrameInterval() time.Duration {
	v.mu.Lock()
	defer v.mu.Unlock()
	return time.Second / time.Duration(v.rendition.FPS)
}

// NextFrame encodes the frame captured at capture.
func (v *Video) NextFrame(capture time.Time) Frame {
	v.mu.Lock()
	defer v.mu.Unlock()

	fps := v.rendition.FPS
	budget := float64(v.target()) / float64(fps)
	keyEvery := max(1, int(math.Round(v.keyInterval.Seconds()*float64(fps))))
	half := max(1, fps/2)
	key := !v.started || v.keyPending || v.sinceKey+1 >= keyEvery

	var planned, noise float64
	if key {
		planned, noise = keyFrameFactor*budget, keyFrameNoise
	} else {
		goal, window := 0.0, noiseWindow
		if v.paybackLeft > 0 {
			window = v.paybackLeft
		}
		if left := keyEvery - 1 - v.sinceKey; left <= half {
			// Save up for the scheduled key frame: end at -half its excess.
			goal, window = -(keyFrameFactor-1)*budget/2, left
		}
		planned = budget - (v.debt-goal)/float64(window)
		planned = min(max(planned, minDeltaShare*budget), maxDeltaShare*budget)
		noise = deltaNoise
	}
	size := max(1, int(math.Round(planned*(1+noise*(2*v.rng.Float64()-1))/8)))

	// Debt is capped at a second of budget either way, so that a storm of
	// forced key frames or a long floor clamp cannot starve or flood the
	// frames for longer than that.
	v.debt = min(max(v.debt+float64(size*8)-budget, -budget*float64(fps)), budget*float64(fps))
	f := Frame{
		Number:   v.number,
		KeyFrame: key,
		Size:     size,
		Capture:  capture,
		Width:    v.rendition.Width,
		Height:   v.rendition.Height,
	}
	v.number++
	v.started = true
	if key {
		v.keyPending, v.sinceKey, v.paybackLeft = false, 0, half
	} else {
		v.sinceKey++
		v.paybackLeft = max(0, v.paybackLeft-1)
	}
	return f
}

// Frame is one encoded video frame: its type and size in bytes, without
// content.
type Frame struct {
	Number        uint32
	KeyFrame      bool
	Size          int
	Capture       time.Time
	Width, Height int
}
