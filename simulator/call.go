package simulator

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/receiver"
)

// minBitrate is the congestion controller's and the encoder's floor.
const minBitrate = 100_000

// Call is one live, impaired WebRTC call between the customer's app and the
// media server. New starts it; Close ends it and waits for every goroutine it
// started. Its methods are safe for concurrent use.
type Call struct {
	cfg    config
	start  time.Time
	client *peer
	server *peer

	videoTrack, audioTrack, upAudioTrack *webrtc.TrackLocalStaticRTP
	videoSSRC, audioSSRC, upAudioSSRC    uint32

	video    *encoder.Video
	audio    *encoder.Audio
	upAudio  *encoder.Audio
	rxVideo  *receiver.Video
	rxAudio  *receiver.Audio
	rxUplink *receiver.Audio

	mu       sync.Mutex // guards the receivers, counters and subscribers below
	counters counters
	subs     map[int]chan Sample
	nextSub  int
	series   []Sample
	closed   bool
	firstRTP time.Duration
	prev     sampleState // touched only by the pump goroutine

	connected chan struct{}
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// New builds both peers, negotiates over an in-process offer/answer, waits
// until ICE and DTLS are connected (or ctx ends) and starts the media. The
// call runs until Close.
func New(ctx context.Context, opts ...Option) (*Call, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("simulator: option: %w", err)
		}
	}
	c := &Call{cfg: cfg, start: cfg.now(), subs: map[int]chan Sample{}, connected: make(chan struct{})}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if err := c.build(); err != nil {
		c.Close()
		return nil, fmt.Errorf("simulator: build call: %w", err)
	}
	if err := c.negotiate(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("simulator: negotiate: %w", err)
	}
	c.wg.Add(1)
	go c.pump()
	return c, nil
}

func (c *Call) build() error {
	var err error
	if c.client, err = newPeer("client", &c.cfg, c.cfg.uplink, 1, false); err != nil {
		return err
	}
	if c.server, err = newPeer("server", &c.cfg, c.cfg.downlink, 2, true); err != nil {
		return err
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
	c.audio = encoder.NewAudio(c.cfg.seed)
	c.upAudio = encoder.NewAudio(c.cfg.seed + 1)
	if c.rxVideo, err = receiver.NewVideo(c.start); err != nil {
		return fmt.Errorf("video receiver: %w", err)
	}
	c.rxAudio = receiver.NewAudio(c.start)
	c.rxUplink = receiver.NewAudio(c.start)

	video, audio := codecs()
	if c.videoTrack, err = webrtc.NewTrackLocalStaticRTP(video.RTPCodecCapability, "video", "rtcdrill-server"); err != nil {
		return err
	}
	if c.audioTrack, err = webrtc.NewTrackLocalStaticRTP(audio.RTPCodecCapability, "audio", "rtcdrill-server"); err != nil {
		return err
	}
	if c.upAudioTrack, err = webrtc.NewTrackLocalStaticRTP(audio.RTPCodecCapability, "audio", "rtcdrill-client"); err != nil {
		return err
	}
	for _, t := range []struct {
		p  *peer
		tr *webrtc.TrackLocalStaticRTP
		id *uint32
	}{{c.server, c.videoTrack, &c.videoSSRC}, {c.server, c.audioTrack, &c.audioSSRC}, {c.client, c.upAudioTrack, &c.upAudioSSRC}} {
		s, err := t.p.pc.AddTrack(t.tr)
		if err != nil {
			return fmt.Errorf("%s: add %s track: %w", t.p.name, t.tr.Kind(), err)
		}
		if enc := s.GetParameters().Encodings; len(enc) > 0 {
			*t.id = uint32(enc[0].SSRC)
		}
		c.drainRTCP(t.p, s)
	}
	if _, err := c.client.pc.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo,
		webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
		return fmt.Errorf("client: add video transceiver: %w", err)
	}
	c.client.pc.OnTrack(func(t *webrtc.TrackRemote, r *webrtc.RTPReceiver) { c.readTrack(c.client, t, r) })
	c.server.pc.OnTrack(func(t *webrtc.TrackRemote, r *webrtc.RTPReceiver) { c.readTrack(c.server, t, r) })
	for _, p := range []*peer{c.client, c.server} {
		p := p
		p.pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
			c.emit(p.name, "pc", "connection state "+s.String())
		})
		p.pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
			c.emit(p.name, "ice", "ICE connection state "+s.String())
		})
	}
	return nil
}

// negotiate runs a non-trickle offer/answer (the client offers, as a joining
// app does) and waits for both peers to reach "connected".
func (c *Call) negotiate(ctx context.Context) error {
	offer, err := c.client.pc.CreateOffer(nil)
	if err != nil {
		return fmt.Errorf("client: create offer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(c.client.pc)
	if err := c.client.pc.SetLocalDescription(offer); err != nil {
		return fmt.Errorf("client: set local description: %w", err)
	}
	if err := waitDone(ctx, gathered, "client ICE gathering"); err != nil {
		return err
	}
	if err := c.server.pc.SetRemoteDescription(*c.client.pc.LocalDescription()); err != nil {
		return fmt.Errorf("server: set remote description: %w", err)
	}
	answer, err := c.server.pc.CreateAnswer(nil)
	if err != nil {
		return fmt.Errorf("server: create answer: %w", err)
	}
	gathered = webrtc.GatheringCompletePromise(c.server.pc)
	if err := c.server.pc.SetLocalDescription(answer); err != nil {
		return fmt.Errorf("server: set local description: %w", err)
	}
	if err := waitDone(ctx, gathered, "server ICE gathering"); err != nil {
		return err
	}
	if err := c.client.pc.SetRemoteDescription(*c.server.pc.LocalDescription()); err != nil {
		return fmt.Errorf("client: set remote description: %w", err)
	}
	for _, p := range []*peer{c.client, c.server} {
		if err := waitConnected(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func waitDone(ctx context.Context, done <-chan struct{}, what string) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
}

func waitConnected(ctx context.Context, p *peer) error {
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		switch s := p.pc.ConnectionState(); s {
		case webrtc.PeerConnectionStateConnected:
			return nil
		case webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed:
			return fmt.Errorf("%s: connection %s", p.name, s)
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return fmt.Errorf("%s: wait for connected: %w", p.name, ctx.Err())
		}
	}
}

// SetImpairment changes one direction's impairment while the call runs.
func (c *Call) SetImpairment(d Direction, cfg impair.Config) error {
	p := c.client
	if d == Downlink {
		p = c.server
	}
	if err := p.impair.SetConfig(cfg); err != nil {
		return fmt.Errorf("simulator: set %s impairment: %w", d, err)
	}
	c.emit("engine", "impair", fmt.Sprintf("%s impairment set: %+v", d, cfg))
	return nil
}

// Impairment returns one direction's current impairment.
func (c *Call) Impairment(d Direction) impair.Config {
	if d == Downlink {
		return c.server.impair.Config()
	}
	return c.client.impair.Config()
}

// ImpairStats returns what one direction's impairment did so far.
func (c *Call) ImpairStats(d Direction) impair.Stats {
	if d == Downlink {
		return c.server.impair.Stats()
	}
	return c.client.impair.Stats()
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

// Close ends the call: it stops the media, closes both peers and waits for
// every goroutine the call started. It is idempotent.
func (c *Call) Close() error {
	c.closeOnce.Do(func() {
		c.cancel()
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		var errs []error
		for _, p := range []*peer{c.client, c.server} {
			if p != nil && p.pc != nil {
				if err := p.pc.GracefulClose(); err != nil {
					errs = append(errs, fmt.Errorf("%s: close: %w", p.name, err))
				}
			}
		}
		c.wg.Wait()
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

func (c *Call) emit(peerName, kind, msg string) {
	if c.cfg.events == nil {
		return
	}
	c.cfg.events(Event{Offset: c.cfg.now().Sub(c.start), Peer: peerName, Kind: kind, Message: msg})
}

// newRand derives an independent, reproducible random source per use.
func newRand(seed, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, salt^0x9e3779b97f4a7c15))
}
