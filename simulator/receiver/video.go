package receiver

import (
	"fmt"
	"sync"
	"time"
)

const (
	defaultFrameInterval = time.Second / 30
	jitterGain           = 16 // RFC 3550
	transitWindow        = 32 // frames over which the base transit is the minimum
	intervalGain         = 8
	jitterMultiple       = 3
	goneWindow           = 64 // dropped frames measured until this far behind
	speedUpShare         = 8  // offset falls by at most interval/8 per frame
)

// VideoOption configures a Video.
type VideoOption func(*Video) error

// WithMaxPlayoutDelay caps the jitter-buffer target (default 500 ms): beyond
// it a receiver prefers dropping frames to lagging further behind.
func WithMaxPlayoutDelay(d time.Duration) VideoOption {
	return func(v *Video) error {
		if d < 0 {
			return fmt.Errorf("max playout delay %v: must not be negative", d)
		}
		v.maxDelay = d
		return nil
	}
}

// WithMinPlayoutDelay sets a floor under the jitter-buffer target (default 0),
// as the playout-delay RTP header extension does.
func WithMinPlayoutDelay(d time.Duration) VideoOption {
	return func(v *Video) error {
		if d < 0 {
			return fmt.Errorf("min playout delay %v: must not be negative", d)
		}
		v.minDelay = d
		return nil
	}
}

// WithKeyFrameRequestInterval sets how often NeedKeyFrame may report true
// while the stream is undecodable (default 500 ms): more would flood the
// sender with PLIs while its key frame is still on the way.
func WithKeyFrameRequestInterval(d time.Duration) VideoOption {
	return func(v *Video) error {
		if d <= 0 {
			return fmt.Errorf("key frame request interval %v: must be positive", d)
		}
		v.pliInterval = d
		return nil
	}
}

// VideoStats are the receiver's figures, named and defined as in
// webrtc-stats' RTCInboundRtpStreamStats where a counterpart exists.
type VideoStats struct {
	// FramesReceived counts frames completely assembled in time to matter.
	FramesReceived uint64
	FramesDecoded  uint64
	// FramesDropped counts frames that never rendered: lost, incomplete at
	// their render time, or undecodable after an earlier drop.
	FramesDropped        uint64
	FramesRendered       uint64
	FreezeCount          uint64
	TotalFreezesDuration time.Duration
	FrameWidth           int
	FrameHeight          int
	// FirstFrame is the time from call start to the first rendered frame;
	// 0 until then.
	FirstFrame time.Duration
	// EndToEndDelay is render time minus capture time of the last rendered
	// frame.
	EndToEndDelay time.Duration
	// PlayoutDelay is how long the jitter buffer holds media beyond the
	// fastest path: render offset - base transit.
	PlayoutDelay     time.Duration
	KeyFramesDecoded uint64
	// Jitter is the RFC 3550 interarrival jitter over all packets.
	Jitter time.Duration
}

// Video is the video half of the customer's app: frame assembly, jitter
// buffer, decoder dependency and renderer.
type Video struct {
	start       time.Time
	minDelay    time.Duration
	maxDelay    time.Duration
	pliInterval time.Duration

	mu      sync.Mutex
	frames  []numberedFrame          // frames from next on, in frame order
	gone    map[uint32]*pendingFrame // dropped before complete, still measured
	seen    bool                     // a packet has arrived, so next is meaningful
	started bool                     // a frame has rendered or dropped: next only moves on
	next    uint32                   // the frame to play next

	timed       bool                         // a packet has arrived: the estimates and offset are set
	offset      time.Duration                // render time = capture + offset
	transits    [transitWindow]time.Duration // first-packet transits of recent frames, a ring
	nTransits   int
	transit     time.Duration // base transit: the minimum of transits
	lastTransit time.Duration
	jitter      time.Duration // RFC 3550, per packet: the reported figure
	meanTransit time.Duration // mean frame completion transit
	transitDev  time.Duration // its mean absolute deviation
	interval    time.Duration

	decodable      bool // deltas can be decoded: a key frame came since the last drop
	wantKey        bool
	keyRequested   bool
	lastKeyRequest time.Time

	rendered    bool
	lastRender  time.Time
	lastNumber  uint32
	lastCapture time.Time
	freezes     freezeDetector
	stats       VideoStats
}

// NewVideo returns a receiver for a call that started at start.
func NewVideo(start time.Time, opts ...VideoOption) (*Video, error) {
	v := &Video{
		start:       start,
		maxDelay:    500 * time.Millisecond,
		pliInterval: 500 * time.Millisecond,
		gone:        make(map[uint32]*pendingFrame),
		interval:    defaultFrameInterval,
	}
	for _, opt := range opts {
		if err := opt(v); err != nil {
			return nil, fmt.Errorf("new video receiver: %w", err)
		}
	}
	if v.minDelay > v.maxDelay {
		return nil, fmt.Errorf("new video receiver: min playout delay %v above max %v", v.minDelay, v.maxDelay)
	}
	return v, nil
}

// NeedKeyFrame reports whether the caller should send a PLI now: the stream
// is undecodable and no request went out in the last request interval.
func (v *Video) NeedKeyFrame(now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.wantKey || (v.keyRequested && now.Sub(v.lastKeyRequest) < v.pliInterval) {
		return false
	}
	v.keyRequested, v.lastKeyRequest = true, now
	return true
}

// Stats returns the figures so far.
func (v *Video) Stats() VideoStats {
	v.mu.Lock()
	defer v.mu.Unlock()
	s := v.stats
	if v.timed {
		s.PlayoutDelay = max(v.offset-v.transit, 0)
	}
	s.Jitter = v.jitter
	return s
}

// before reports whether frame number a precedes b, modulo 2^32.
func before(a, b uint32) bool { return int32(a-b) < 0 }
