package simulator

import (
	"errors"
	"fmt"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// Option configures a Call. Options validate their argument and return an
// error rather than panicking, as pion/interceptor's options do.
type Option func(*config) error

// config is everything a call is built from; New fills the defaults.
type config struct {
	uplink, downlink  impair.Config
	rendition         encoder.Rendition
	congestionControl bool
	fixedBitrate      int64
	nack              bool
	dtx               bool
	seed              uint64
	maxPayload        int
	sampleInterval    time.Duration
	tick              time.Duration
	// firewalls puts the peers on switchable networks (UDP blocking, server
	// outages); capture records the customer's packets. Both cost CPU on
	// every packet, so a call has them only when asked.
	firewalls bool
	capture   bool
	now       func() time.Time
	events    func(Event)
	faults    faultConfig
	// sched releases delayed packets; nil gives the call its own.
	sched *impair.Scheduler
	// clock ticks the call's media; nil gives the call its own ticker.
	clock *MediaClock
}

func defaultConfig() config {
	r, _ := encoder.RenditionByName("720p")
	return config{
		rendition:         r,
		congestionControl: true,
		nack:              true,
		dtx:               true,
		seed:              1,
		maxPayload:        1100,
		sampleInterval:    time.Second,
		// The media clock ticks with the audio packetization (20 ms): one
		// wake-up per audio packet. RTP timestamps carry the send time, so
		// jitter is unaffected; playout is quantized to the tick.
		tick:   encoder.AudioPacketInterval,
		now:    time.Now,
		faults: defaultFaultConfig(),
	}
}

// WithImpairment sets the starting impairment of one direction.
func WithImpairment(d Direction, c impair.Config) Option {
	return func(cfg *config) error {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		switch d {
		case Uplink:
			cfg.uplink = c
		case Downlink:
			cfg.downlink = c
		default:
			return fmt.Errorf("impairment: unknown %s", d)
		}
		return nil
	}
}

// WithRendition sets the video rendition the media server starts with.
func WithRendition(r encoder.Rendition) Option {
	return func(cfg *config) error {
		if r.Width <= 0 || r.Height <= 0 || r.FPS <= 0 || r.MaxBitrate <= 0 {
			return fmt.Errorf("rendition %q: width, height, fps and max bitrate must be positive", r.Name)
		}
		cfg.rendition = r
		return nil
	}
}

// WithCongestionControl turns Google Congestion Control on the media server's
// video on (the default) or off. Off, the encoder sends at a fixed bitrate
// (WithFixedBitrate, default the rendition's ceiling): an open-loop sender, as
// the bandwidth-cap fidelity test needs.
func WithCongestionControl(on bool) Option {
	return func(cfg *config) error { cfg.congestionControl = on; return nil }
}

// WithFixedBitrate sets the video bitrate used when congestion control is off.
func WithFixedBitrate(bps int64) Option {
	return func(cfg *config) error {
		if bps <= 0 {
			return errors.New("fixed bitrate must be positive")
		}
		cfg.fixedBitrate = bps
		return nil
	}
}

// WithNACK turns retransmission requests on (the default) or off. Off, every
// packet the network drops stays lost, which is what loss-fidelity tests need.
func WithNACK(on bool) Option {
	return func(cfg *config) error { cfg.nack = on; return nil }
}

// WithDTX makes both talkers speak and pause as a conversation does (ITU-T
// P.59) with Opus DTX in the pauses, negotiated as usedtx=1 (the default),
// or send audio without a break (off), as an app without DTX does: 50
// packets a second each way.
func WithDTX(on bool) Option {
	return func(cfg *config) error { cfg.dtx = on; return nil }
}

// WithSeed seeds every random source of the call (impairments, encoder noise)
// so that a scenario variant replays the same way.
func WithSeed(seed uint64) Option {
	return func(cfg *config) error { cfg.seed = seed; return nil }
}

// WithMaxPayload sets the largest RTP payload of a video packet. Smaller
// payloads give more packets per second, which statistical tests use to reach
// their sample size sooner.
func WithMaxPayload(n int) Option {
	return func(cfg *config) error {
		if n < 64 || n > 1200 {
			return fmt.Errorf("max payload %d out of range [64,1200]", n)
		}
		cfg.maxPayload = n
		return nil
	}
}

// WithSampleInterval sets how often a Sample is taken (default 1 s).
func WithSampleInterval(d time.Duration) Option {
	return func(cfg *config) error {
		if d < 10*time.Millisecond {
			return fmt.Errorf("sample interval %v below 10ms", d)
		}
		cfg.sampleInterval = d
		return nil
	}
}

// WithFirewalls puts the customer and both media servers behind firewalls
// whose rules can change while the call runs (SetUDPBlocked,
// SetMediaServerDown). Without them the peers use the host's network
// directly, which keeps Pion on its fast path; WithUDPBlocked(true) and
// WithMediaServerDown turn them on.
func WithFirewalls(on bool) Option {
	return func(cfg *config) error { cfg.firewalls = on; return nil }
}

// WithScheduler releases the call's delayed packets on s, shared with other
// calls: one wake-up per round for all of them instead of one per delayed
// packet of each (impair.Scheduler). The caller closes s after the calls.
// Without it a call runs its own Scheduler.
func WithScheduler(s *impair.Scheduler) Option {
	return func(cfg *config) error {
		if s == nil {
			return errors.New("nil scheduler")
		}
		cfg.sched = s
		return nil
	}
}

// WithMediaClock has m tick the call's media (encoders, receivers, samples)
// with other calls' instead of the call's own ticker (MediaClock). The
// caller closes m after the calls.
func WithMediaClock(m *MediaClock) Option {
	return func(cfg *config) error {
		if m == nil {
			return errors.New("nil media clock")
		}
		cfg.clock = m
		return nil
	}
}

// WithCapture records the RTP and RTCP the customer's app sends and
// receives, for Captured, WritePCAP and StreamAnalysis (the agent's packet
// tools). It is off by default: a copy of every packet is not free.
func WithCapture(on bool) Option {
	return func(cfg *config) error { cfg.capture = on; return nil }
}

// WithEvents receives the call's log events (state changes, errors) as they
// happen; the function must not block.
func WithEvents(f func(Event)) Option {
	return func(cfg *config) error { cfg.events = f; return nil }
}

// WithNow injects the clock used for media timing and samples.
func WithNow(now func() time.Time) Option {
	return func(cfg *config) error {
		if now == nil {
			return errors.New("now func is nil")
		}
		cfg.now = now
		return nil
	}
}

// Event is one line of the call's log, as a real client app would write it.
type Event struct {
	Offset  time.Duration `json:"offset"`
	Peer    string        `json:"peer"`
	Kind    string        `json:"kind"`
	Message string        `json:"message"`
}
