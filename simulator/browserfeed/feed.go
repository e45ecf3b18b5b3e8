package browserfeed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// ErrClosed is returned by a Feed's methods after it closed.
var ErrClosed = errors.New("browserfeed: feed closed")

// Feed is one browser's view of the customer: a Pion peer sending the
// embedded clips through an impairment. New builds it, Answer connects it,
// and it runs until Close, its context ends or the browser goes away. Its
// methods are safe for concurrent use.
type Feed struct {
	cfg    config
	pc     *webrtc.PeerConnection
	impair *impair.InterceptorFactory
	speech []audioPacket

	video, audio             *webrtc.TrackLocalStaticSample
	videoSender, audioSender *webrtc.RTPSender

	mu       sync.Mutex // guards everything below
	clips    map[string]*videoClip
	current  *videoClip // what the pump sends
	pending  *videoClip // switched to at its next key frame
	answered bool
	started  bool
	closing  bool
	state    webrtc.PeerConnectionState
	counters counters

	ctx      context.Context
	cancel   context.CancelFunc
	gone     chan struct{} // closed when the browser went away
	goneOnce sync.Once
	done     chan struct{} // closed once torn down
	closeErr error         // set before done is closed
	workers  sync.WaitGroup
	wg       sync.WaitGroup
}

// New builds a feed. It ends when ctx does, so ctx is the feed's lifetime,
// not a request's. The media waits for Answer and then for the connection.
func New(ctx context.Context, opts ...Option) (*Feed, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("browserfeed: option: %w", err)
		}
	}
	clip, err := loadVideo(cfg.rendition)
	if err != nil {
		return nil, fmt.Errorf("browserfeed: %w", err)
	}
	speech, err := loadSpeech(cfg.language)
	if err != nil {
		return nil, fmt.Errorf("browserfeed: %w", err)
	}
	pc, imp, err := newPeerConnection(&cfg)
	if err != nil {
		return nil, fmt.Errorf("browserfeed: %w", err)
	}
	f := &Feed{cfg: cfg, pc: pc, impair: imp, speech: speech,
		clips: map[string]*videoClip{clip.name: clip}, current: clip,
		gone: make(chan struct{}), done: make(chan struct{})}
	f.ctx, f.cancel = context.WithCancel(ctx)
	if err := f.addTracks(); err != nil {
		f.cancel()
		return nil, errors.Join(fmt.Errorf("browserfeed: %w", err), pc.Close())
	}
	pc.OnConnectionStateChange(f.onState)
	f.workers.Add(2)
	go f.readRTCP(f.videoSender, true)
	go f.readRTCP(f.audioSender, false)
	f.wg.Add(1)
	go f.watch()
	return f, nil
}

func (f *Feed) addTracks() error {
	var err error
	f.video, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8},
		"video", "rtcdrill-customer")
	if err != nil {
		return fmt.Errorf("video track: %w", err)
	}
	f.audio, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus},
		"audio", "rtcdrill-customer")
	if err != nil {
		return fmt.Errorf("audio track: %w", err)
	}
	if f.videoSender, err = f.pc.AddTrack(f.video); err != nil {
		return fmt.Errorf("add video: %w", err)
	}
	if f.audioSender, err = f.pc.AddTrack(f.audio); err != nil {
		return fmt.Errorf("add audio: %w", err)
	}
	return nil
}

// Answer takes the browser's offer and returns the answer once ICE
// gathering is complete, so the browser needs no trickle. The offer must
// receive video and audio (two recvonly transceivers). A feed answers once.
func (f *Feed) Answer(ctx context.Context, offerSDP string) (string, error) {
	f.mu.Lock()
	switch {
	case f.closing:
		f.mu.Unlock()
		return "", fmt.Errorf("answer: %w", ErrClosed)
	case f.answered:
		f.mu.Unlock()
		return "", errors.New("answer: the feed has answered already")
	}
	f.answered = true
	f.mu.Unlock()

	if err := f.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offerSDP}); err != nil {
		return "", fmt.Errorf("answer: set offer: %w", err)
	}
	for _, s := range []*webrtc.RTPSender{f.videoSender, f.audioSender} {
		if !f.negotiated(s) {
			return "", fmt.Errorf("answer: the offer does not receive %s", s.Track().Kind())
		}
	}
	answer, err := f.pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("answer: create: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(f.pc)
	if err := f.pc.SetLocalDescription(answer); err != nil {
		return "", fmt.Errorf("answer: set answer: %w", err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", fmt.Errorf("answer: gather candidates: %w", ctx.Err())
	case <-f.ctx.Done():
		return "", fmt.Errorf("answer: %w", ErrClosed)
	}
	return f.pc.LocalDescription().SDP, nil
}

// negotiated tells whether the offer took up the sender's track.
func (f *Feed) negotiated(s *webrtc.RTPSender) bool {
	for _, t := range f.pc.GetTransceivers() {
		if t.Sender() == s {
			return t.Mid() != ""
		}
	}
	return false
}

// onState starts the media once connected and notices the browser leaving.
// It runs on Pion's goroutine, so it only signals: the teardown is watch's.
func (f *Feed) onState(s webrtc.PeerConnectionState) {
	f.mu.Lock()
	f.state = s
	start := s == webrtc.PeerConnectionStateConnected && !f.started && !f.closing
	if start {
		f.started = true
		f.workers.Add(1)
		go f.pump()
	}
	f.mu.Unlock()
	f.cfg.log.Debug("browser feed connection", slog.String("state", s.String()))
	switch s {
	case webrtc.PeerConnectionStateDisconnected, webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed:
		f.goneOnce.Do(func() { close(f.gone) })
	}
}

// watch tears the feed down when its context ends or the browser goes, and
// then waits for the media and RTCP goroutines.
func (f *Feed) watch() {
	defer f.wg.Done()
	select {
	case <-f.ctx.Done():
	case <-f.gone:
	}
	f.mu.Lock()
	f.closing = true
	f.mu.Unlock()
	f.cancel()
	err := f.pc.Close() // ends the RTCP readers
	f.workers.Wait()
	if err != nil {
		f.closeErr = fmt.Errorf("browserfeed: close: %w", err)
	}
	close(f.done)
}

// Close ends the call and waits for every goroutine the feed started. It is
// idempotent; every call returns the same error.
func (f *Feed) Close() error {
	f.cancel()
	f.wg.Wait()
	return f.closeErr
}

// Done is closed once the feed has closed, for whatever reason.
func (f *Feed) Done() <-chan struct{} { return f.done }

// SetImpairment changes the network to the browser while the call runs:
// the next packet sees it, as on the engine's downlink.
func (f *Feed) SetImpairment(c impair.Config) error {
	if err := f.impair.SetConfig(c); err != nil {
		return fmt.Errorf("browserfeed: %w", err)
	}
	return nil
}

// Impairment returns the impairment in effect.
func (f *Feed) Impairment() impair.Config { return f.impair.Config() }

// SetRendition switches the video to another rendition at that rendition's
// next key frame, on the same track: the browser sees the resolution change
// without renegotiating. Asking for the rendition being sent cancels a
// switch not yet made.
func (f *Feed) SetRendition(name string) error {
	f.mu.Lock()
	clip, ok := f.clips[name]
	f.mu.Unlock()
	if !ok {
		var err error
		if clip, err = loadVideo(name); err != nil { // parsed outside the lock: a clip is megabytes
			return fmt.Errorf("browserfeed: set rendition: %w", err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closing {
		return fmt.Errorf("browserfeed: set rendition: %w", ErrClosed)
	}
	if cached, ok := f.clips[name]; ok {
		clip = cached
	}
	f.clips[name] = clip
	f.pending = clip
	if clip == f.current {
		f.pending = nil
	}
	return nil
}

// Rendition is the name of the rendition being sent now.
func (f *Feed) Rendition() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.current.name
}
