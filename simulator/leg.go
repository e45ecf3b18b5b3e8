package simulator

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/receiver"
)

// State is where the call's current leg stands, as the app shows it.
type State string

// The states of a leg.
const (
	// StateConnecting: signaling, negotiation or ICE in progress.
	StateConnecting State = "connecting"
	// StateConnected: ICE and DTLS are up; media flows.
	StateConnected State = "connected"
	// StateDisconnected: ICE lost its path; it may still come back.
	StateDisconnected State = "disconnected"
	// StateFailed: the setup or the connection failed; only a new setup
	// (a remedy) brings media back.
	StateFailed State = "failed"
	// StateClosed: the call ended.
	StateClosed State = "closed"
)

// legSpec is what a leg is set up with; a remedy changes part of it.
type legSpec struct {
	domain  string       // signaling domain
	server  string       // media server
	profile CodecProfile // what the customer's device offers
	relay   bool         // relay-only ICE through the TURN server
}

// leg is one setup of the call ("call leg"): the customer's PeerConnection,
// the media server's end for it, and what the customer's app measures on it.
// A remedy closes the leg and sets up a new one on the same time axis.
type leg struct {
	id      int
	session string // the signaling session, new with every leg
	spec    legSpec
	ctx     context.Context // ends when the leg closes
	cancel  context.CancelFunc
	done    chan struct{} // closed when the setup has connected or failed
	up      chan struct{} // closed when the customer's connection first connects
	upOnce  sync.Once

	client       *peer
	upAudioTrack *webrtc.TrackLocalStaticRTP
	upAudioSSRC  uint32
	upRemote     *remoteView // the media server's reports on the uplink audio

	// Guarded by Call.mu.
	state    State
	err      error                 // why the setup failed
	ends     map[string]*serverEnd // media-server ends created, by answer SDP
	end      *serverEnd            // the end the customer's answer came from
	rxVideo  *receiver.Video
	rxAudio  *receiver.Audio
	rxUplink *receiver.Audio
	seq      [3]seqStats // video, audio, uplink as received on this leg
	path     string      // the selected candidate pair, once connected
	setupAt  time.Duration
	upAt     time.Duration // when it connected; 0 until then
	closed   bool
}

// Stream indices of leg.seq.
const (
	seqVideo = iota
	seqAudio
	seqUplink
)

// serverEnd is the media server's PeerConnection for one offer, with the
// tracks it sends the customer.
type serverEnd struct {
	peer                   *peer
	server                 string
	codec                  VideoCodec
	videoTrack, audioTrack *webrtc.TrackLocalStaticRTP
	videoSSRC, audioSSRC   uint32
	// videoRemote and audioRemote are the customer's receiver reports on
	// the two streams; set before the stream's RTCP is drained.
	videoRemote, audioRemote *remoteView
	// ready is set once the server's DTLS is up: media written before that
	// is dropped by Pion, and a dropped first key frame costs a frame time.
	ready atomic.Bool
}

// LegInfo describes the call's current leg.
type LegInfo struct {
	// ID counts the legs of the call from 1; a remedy starts a new one.
	ID int `json:"id"`
	// Session is the signaling session id.
	Session string `json:"session"`
	State   State  `json:"state"`
	// Domain is the signaling domain, MediaServer the server serving it.
	Domain      string `json:"domain"`
	MediaServer string `json:"mediaServer"`
	// ClientProfile is what the customer's device offers.
	ClientProfile CodecProfile `json:"clientProfile"`
	// VideoCodec is the negotiated video codec; empty until negotiated.
	VideoCodec VideoCodec `json:"videoCodec,omitempty"`
	// Relay reports relay-only ICE through the TURN server.
	Relay bool `json:"relay"`
	// Path is the selected ICE candidate pair once connected, for example
	// "relay (tls) 127.0.0.1:40001 -> host udp 127.0.0.1:50002".
	Path string `json:"path,omitempty"`
	// Started and Connected are offsets from the call's start.
	Started   time.Duration `json:"started"`
	Connected time.Duration `json:"connected,omitempty"`
	// Err is why the setup failed.
	Err string `json:"error,omitempty"`
}

// Leg returns the current leg.
func (c *Call) Leg() LegInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.cur
	if l == nil { // between two legs, or after Close
		if c.closed {
			return LegInfo{State: StateClosed}
		}
		return LegInfo{State: StateConnecting}
	}
	info := LegInfo{ID: l.id, Session: l.session, State: l.state, Domain: l.spec.domain, MediaServer: l.spec.server,
		ClientProfile: l.spec.profile, Relay: l.spec.relay, Path: l.path, Started: l.setupAt, Connected: l.upAt}
	if l.end != nil {
		info.VideoCodec = l.end.codec
	}
	if l.err != nil {
		info.Err = l.err.Error()
	}
	return info
}

// State is the current leg's state.
func (c *Call) State() State { return c.Leg().State }

// startLeg builds the customer's side of a new leg and makes it current.
// The caller runs the setup.
func (c *Call) startLeg(spec legSpec) (*leg, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.nextLeg++
	l := &leg{id: c.nextLeg, spec: spec, state: StateConnecting, done: make(chan struct{}), up: make(chan struct{}),
		ends: map[string]*serverEnd{}, setupAt: c.cfg.now().Sub(c.start)}
	c.mu.Unlock()
	l.session = fmt.Sprintf("s%d-%08x", l.id, newRand(c.cfg.seed, 0x5e55+uint64(l.id)).Uint32())
	l.ctx, l.cancel = context.WithCancel(c.ctx)

	var err error
	if l.rxVideo, err = receiver.NewVideo(c.start); err != nil {
		return nil, fmt.Errorf("video receiver: %w", err)
	}
	l.rxAudio = receiver.NewAudio(c.start)
	l.rxUplink = receiver.NewAudio(c.start)
	spec0 := peerSpec{name: "client", impair: c.up, capture: c.capture, video: spec.profile.Video}
	if c.clientNet != nil { // a nil *firewall.Net in the interface would not be nil
		spec0.net = c.clientNet
	}
	if spec.relay {
		if spec0.relay, err = c.relayServer(); err != nil {
			return nil, err
		}
		spec0.relayVia = c.cfg.faults.relayTransport
	}
	if l.client, err = newPeer(&c.cfg, spec0); err != nil {
		return nil, err
	}
	if err := c.wireClient(l); err != nil {
		_ = l.client.pc.Close()
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		_ = l.client.pc.Close()
		return nil, ErrClosed
	}
	c.cur = l
	return l, nil
}

// wireClient adds the customer's tracks and log hooks.
func (c *Call) wireClient(l *leg) error {
	pc := l.client.pc
	var err error
	if l.upAudioTrack, err = webrtc.NewTrackLocalStaticRTP(audioCodec(c.cfg.dtx).RTPCodecCapability, "audio", "rtcdrill-client"); err != nil {
		return fmt.Errorf("client: audio track: %w", err)
	}
	s, err := pc.AddTrack(l.upAudioTrack)
	if err != nil {
		return fmt.Errorf("client: add audio track: %w", err)
	}
	if enc := s.GetParameters().Encodings; len(enc) > 0 {
		l.upAudioSSRC = uint32(enc[0].SSRC)
	}
	l.upRemote = newRemoteView(l.upAudioSSRC, audioCodec(c.cfg.dtx).ClockRate)
	c.drainRTCP(s, l.upRemote, false)
	// The camera is what makes a codec mismatch fail in Pion (camera.go).
	camera := &camera{profile: l.spec.profile}
	if s, err = pc.AddTrack(camera); err != nil {
		return fmt.Errorf("client: add camera track: %w", err)
	}
	c.drainRTCP(s, nil, false)
	pc.OnTrack(func(t *webrtc.TrackRemote, r *webrtc.RTPReceiver) { c.readTrack(l, true, t, r) })
	pc.OnSignalingStateChange(func(s webrtc.SignalingState) {
		c.emit("client", KindSignaling, "signaling state changed: "+s.String())
	})
	pc.OnICEGatheringStateChange(func(s webrtc.ICEGatheringState) {
		c.emit("client", KindICE, "ICE gathering state changed: "+s.String())
	})
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		c.emit("client", KindICE, "ICE connection state changed: "+s.String())
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		c.emit("client", KindPC, "connection state changed: "+s.String())
		// Pion runs each callback on its own goroutine, so they can come
		// out of order: the state is read afresh rather than taken from s.
		c.legState(l, pc.ConnectionState())
	})
	return nil
}

// signalUp wakes the setup waiting in waitConnected.
func (l *leg) signalUp() { l.upOnce.Do(func() { close(l.up) }) }

// legState follows the customer's PeerConnection.
func (c *Call) legState(l *leg, s webrtc.PeerConnectionState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l.closed || l.err != nil { // closed, or failed for good
		return
	}
	switch s {
	case webrtc.PeerConnectionStateConnected:
		l.state = StateConnected
		if l.upAt == 0 { // recorded with the state, before any media can flow
			l.upAt = c.cfg.now().Sub(c.start)
		}
		l.signalUp()
		c.wakeMedia()
	case webrtc.PeerConnectionStateDisconnected:
		l.state = StateDisconnected
	case webrtc.PeerConnectionStateFailed:
		l.state = StateFailed
		if l.err == nil {
			l.err = errICEFailed
		}
	}
}

// closeLeg ends a leg: its setup stops, its peers close (the caller waits
// for them), and what it received is added to the call's totals so the
// series stays cumulative. It is a no-op for a leg already closed.
func (c *Call) closeLeg(l *leg) error {
	if l == nil {
		return nil
	}
	l.cancel()
	c.mu.Lock()
	if l.closed {
		c.mu.Unlock()
		return nil
	}
	l.closed = true
	if l.state != StateFailed {
		l.state = StateClosed
	}
	c.past.add(l)
	if c.cur == l {
		c.cur = nil
	}
	peers := []*peer{l.client}
	for _, e := range l.ends {
		peers = append(peers, e.peer)
	}
	c.mu.Unlock()
	var errs []error
	for _, p := range peers {
		if err := p.pc.GracefulClose(); err != nil {
			errs = append(errs, fmt.Errorf("%s: close: %w", p.name, err))
		}
	}
	return joinErrs(errs)
}
