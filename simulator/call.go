package simulator

import (
	"context"
	"errors"
	"fmt"
	"github.com/rtcdrill/rtcdrill/simulator/capture"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/firewall"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/relay"
	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// minBitrate is the congestion controller's and the encoder's floor.
const minBitrate = 100_000

// Call is one live, impaired WebRTC call between the customer's app and the
// media server, with everything around it that can break: a WebSocket
// signaling service on two domains, the customer's firewall, a TURN relay and
// two media servers. New starts it; Close ends it and waits for every
// goroutine, server and peer it started. Its methods are safe for concurrent
// use.
//
// A call is a series of legs (LegInfo): the first is set up by New, and each
// remedy that reconnects (UseRelay, FailoverServer, SwitchSignalingDomain,
// ResetSession, UpdateClient, SwitchBrowser) closes the current leg and sets
// up a new one. The media clock, the encoders, the impairments and the sample
// series belong to the call and continue across legs on one time axis.
type Call struct {
	cfg      config
	start    time.Time
	up, down *impair.InterceptorFactory  // the path, shared by every leg's peers
	sched    *impair.Scheduler           // releases both directions' delayed packets
	ownSched bool                        // sched is the call's own: Close closes it
	capture  *capture.InterceptorFactory // the customer's side of every leg

	video   *encoder.Video
	audio   *encoder.Audio
	upAudio *encoder.Audio

	clientNet *firewall.Net
	serverNet map[string]*firewall.Net // by media server; fixed after build
	turnMu    sync.Mutex
	turn      *relay.Server // started on first use (relayServer)
	dir       *signaling.Directory
	sigServer map[string]*signaling.Server // by domain; fixed after build
	sig       *signaling.Client

	remedyMu sync.Mutex // one reconnection at a time

	mu       sync.Mutex // guards the legs, receivers, counters and subscribers below
	cur      *leg
	nextLeg  int
	past     pastLegs
	counters counters
	subs     map[int]chan Sample
	nextSub  int
	series   []Sample
	closed   bool
	firstRTP time.Duration
	prev     sampleState // touched only by step, under stepMu

	stepMu sync.Mutex
	ps     pumpState

	logMu sync.Mutex
	log   []Event

	connected chan struct{}
	// wake tells the media clock a leg just connected, so the first frame
	// goes out now rather than at the next frame time: the connect time a
	// customer sees is the network's, not the clock's phase.
	wake      chan struct{}
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// New builds the call and its services, starts the media clock and sets up
// the first leg: the customer's app signals its offer over WebSocket, the
// media server answers, ICE and DTLS connect. New waits until that setup
// connects or fails (unless WithAsyncSetup) or ctx ends. A setup that fails
// because of a fault is not an error: the call exists without media, its log
// says why (Log, WithEvents) and a remedy can still bring it back. An error
// means the call could not be built, or ctx ended first.
func New(ctx context.Context, opts ...Option) (*Call, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("simulator: option: %w", err)
		}
	}
	c := &Call{cfg: cfg, start: cfg.now(), subs: map[int]chan Sample{}, connected: make(chan struct{}),
		wake: make(chan struct{}, 1)}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if err := c.build(); err != nil {
		c.Close()
		return nil, fmt.Errorf("simulator: build call: %w", err)
	}
	c.initPump()
	if c.cfg.clock != nil {
		if err := c.cfg.clock.add(c); err != nil {
			c.Close()
			return nil, err
		}
	}
	c.wg.Add(1)
	go c.pump()
	f := &c.cfg.faults
	l, err := c.startLeg(legSpec{domain: f.domain, server: MediaServerPrimary, profile: f.clientProfile, relay: f.relayOnStart})
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("simulator: start call: %w", err)
	}
	c.spawn(func() { _ = c.setup(l) })
	if f.async {
		return c, nil
	}
	select {
	case <-l.done:
		return c, nil
	case <-ctx.Done():
		c.Close()
		return nil, fmt.Errorf("simulator: negotiate: %w", ctx.Err())
	}
}

func (c *Call) build() error {
	var err error
	seedSalt := func(s uint64) impair.Option { return impair.WithRand(newRand(c.cfg.seed, s)) }
	if c.sched = c.cfg.sched; c.sched == nil {
		if c.sched, err = impair.NewScheduler(); err != nil {
			return fmt.Errorf("impairment scheduler: %w", err)
		}
		c.ownSched = true
	}
	sched := impair.WithScheduler(c.sched)
	if c.cfg.capture {
		if c.capture, err = capture.NewInterceptor(capture.WithNow(c.cfg.now)); err != nil {
			return fmt.Errorf("capture: %w", err)
		}
	}
	if c.up, err = impair.NewInterceptor(impair.WithConfig(c.cfg.uplink), seedSalt(1), sched); err != nil {
		return fmt.Errorf("uplink impairment: %w", err)
	}
	if c.down, err = impair.NewInterceptor(impair.WithConfig(c.cfg.downlink), seedSalt(2), sched); err != nil {
		return fmt.Errorf("downlink impairment: %w", err)
	}
	c.video, err = encoder.NewVideo(c.cfg.rendition, encoder.WithMinBitrate(minBitrate), encoder.WithSeed(c.cfg.seed))
	if err != nil {
		return fmt.Errorf("video encoder: %w", err)
	}
	if !c.cfg.congestionControl {
		bps := c.cfg.fixedBitrate
		if bps == 0 {
			bps = c.cfg.rendition.MaxBitrate
		}
		c.video.SetTargetBitrate(bps)
	}
	var talk []encoder.AudioOption
	if c.cfg.dtx {
		talk = append(talk, encoder.WithDTX(encoder.P59Talkspurt, encoder.P59Pause))
	}
	if c.audio, err = encoder.NewAudio(c.cfg.seed, talk...); err != nil {
		return err
	}
	if c.upAudio, err = encoder.NewAudio(c.cfg.seed+1, talk...); err != nil {
		return err
	}
	return c.buildServices()
}

// buildServices starts what sits around the media path: the networks, the
// TURN relay and the two signaling servers behind their domains.
func (c *Call) buildServices() error {
	f := &c.cfg.faults
	var err error
	c.serverNet = map[string]*firewall.Net{}
	if c.cfg.firewalls {
		if c.clientNet, err = firewall.New(firewall.WithRules(firewall.Rules{BlockUDP: f.udpBlocked})); err != nil {
			return err
		}
		for _, name := range []string{MediaServerPrimary, MediaServerBackup} {
			if c.serverNet[name], err = firewall.New(firewall.WithRules(firewall.Rules{Down: f.down[name]})); err != nil {
				return err
			}
		}
	}
	if c.dir, err = signaling.NewDirectory(); err != nil {
		return err
	}
	if c.sig, err = signaling.NewClient(c.dir, signaling.WithAttemptTimeout(f.signalingTimeout)); err != nil {
		return err
	}
	c.sigServer = map[string]*signaling.Server{}
	for _, d := range []struct{ domain, name string }{
		{signaling.PrimaryDomain, "primary"}, {signaling.BackupDomain, "backup"}} {
		s, err := signaling.NewServer(d.name, c.answer)
		if err != nil {
			return err
		}
		c.sigServer[d.domain] = s
		c.dir.Set(d.domain, s.Addr())
		c.spawn(func() { _ = s.Run(c.ctx) })
	}
	return c.applySignalingFault(f.signaling)
}

// SetImpairment changes one direction's impairment while the call runs.
func (c *Call) SetImpairment(d Direction, cfg impair.Config) error {
	f := c.up
	if d == Downlink {
		f = c.down
	}
	if err := f.SetConfig(cfg); err != nil {
		return fmt.Errorf("simulator: set %s impairment: %w", d, err)
	}
	c.emit("engine", "impair", fmt.Sprintf("%s impairment set: %+v", d, cfg))
	return nil
}

// Impairment returns one direction's current impairment.
func (c *Call) Impairment(d Direction) impair.Config {
	if d == Downlink {
		return c.down.Config()
	}
	return c.up.Config()
}

// ImpairStats returns what one direction's impairment did so far, over
// every leg.
func (c *Call) ImpairStats(d Direction) impair.Stats {
	if d == Downlink {
		return c.down.Stats()
	}
	return c.up.Stats()
}

// SetRendition switches the media server's video to another rendition (the
// "lower resolution" remedy); the next frame is a key frame at the new size.
func (c *Call) SetRendition(r encoder.Rendition) {
	c.video.SetRendition(r)
	c.emit("server", "video", "rendition switched to "+r.Name)
}

// Started is when the call was created.
func (c *Call) Started() time.Time { return c.start }

// Connected is closed when the first video packet reaches the customer.
func (c *Call) Connected() <-chan struct{} { return c.connected }

// ConnectTime is the time from New to the first video packet at the customer;
// zero until then.
func (c *Call) ConnectTime() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.firstRTP
}

// Close ends the call: it stops the media, closes the current leg's peers,
// the signaling servers and the TURN relay, and waits for every goroutine the
// call started. It is idempotent.
func (c *Call) Close() error {
	c.closeOnce.Do(func() {
		c.cancel()
		c.stopPump()
		// A remedy in progress sees the cancel and returns soon; waiting for
		// it keeps its peers from outliving Close.
		c.remedyMu.Lock()
		defer c.remedyMu.Unlock()
		c.mu.Lock()
		c.closed = true
		l := c.cur
		c.mu.Unlock()
		var errs []error
		if l != nil {
			errs = append(errs, c.closeLeg(l))
		}
		// The signaling handlers may be building a media-server end for the
		// closed leg: they close it themselves, and Close waits for them.
		for _, s := range c.sigServer {
			errs = append(errs, s.Close())
		}
		if c.sig != nil {
			c.sig.Close()
		}
		if c.dir != nil {
			errs = append(errs, c.dir.Close())
		}
		c.turnMu.Lock()
		if c.turn != nil {
			errs = append(errs, c.turn.Close())
		}
		c.turnMu.Unlock()
		c.wg.Wait()
		if c.ownSched {
			// After the peers: their interceptors have left it.
			errs = append(errs, c.sched.Close())
		}
		c.mu.Lock()
		for id, ch := range c.subs {
			close(ch)
			delete(c.subs, id)
		}
		c.mu.Unlock()
		c.closeErr = errors.Join(errs...)
	})
	return c.closeErr
}

// wakeMedia nudges the media clock without blocking.
func (c *Call) wakeMedia() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// relayServer returns the call's TURN server, starting it on first use: most
// calls never need a relay, and its listeners cost start-up time and
// goroutines. After Close it returns ErrClosed, so no server outlives the call.
func (c *Call) relayServer() (*relay.Server, error) {
	c.turnMu.Lock()
	defer c.turnMu.Unlock()
	if c.turn != nil {
		return c.turn, nil
	}
	if c.ctx.Err() != nil {
		return nil, ErrClosed
	}
	f := &c.cfg.faults
	t, err := relay.New(relay.WithDelay(f.relayDelay), relay.WithNow(c.cfg.now))
	if err != nil {
		return nil, fmt.Errorf("start TURN relay: %w", err)
	}
	c.turn = t
	return t, nil
}

// spawn starts a goroutine owned by the call unless the call is closing; it
// reports whether it did, so that Close never races a late Add.
func (c *Call) spawn(f func()) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// newRand derives an independent, reproducible random source per use.
func newRand(seed, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, salt^0x9e3779b97f4a7c15))
}
