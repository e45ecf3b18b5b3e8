package simulator

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// ErrClosed is returned by methods called on a closed call.
var ErrClosed = errors.New("simulator: call closed")

// ErrNoFirewalls is returned when a network fault is set on a call built
// without WithFirewalls.
var ErrNoFirewalls = errors.New("call built without firewalls (WithFirewalls)")

var (
	errICEFailed     = errors.New("media connection failed (ICE failed)")
	errNoCommonCodec = errors.New("negotiation failed: no common video codec")
)

// setup runs a leg's setup as the customer's app does: create the offer and
// gather every candidate (non-trickle), send it over the signaling WebSocket
// (retrying a few times), apply the answer, and wait for ICE and DTLS. Every
// step and every error goes to the log with the library's own error text.
// It closes l.done and returns the reason when the setup fails.
func (c *Call) setup(l *leg) error {
	err := c.runSetup(l)
	c.mu.Lock()
	if err != nil && !l.closed {
		l.state, l.err = StateFailed, err
	}
	c.mu.Unlock()
	if err != nil && l.ctx.Err() == nil {
		c.emit("client", KindError, "call setup failed: "+err.Error())
		c.hangUp(l) // the app gives up and releases its connection
	}
	close(l.done)
	return err
}

// hangUp closes a failed leg's peers but keeps the leg current, so the call
// shows the failure until a remedy replaces it.
func (c *Call) hangUp(l *leg) {
	c.mu.Lock()
	peers := []*peer{l.client}
	for _, e := range l.ends {
		peers = append(peers, e.peer)
	}
	c.mu.Unlock()
	for _, p := range peers {
		_ = p.pc.GracefulClose()
	}
}

func (c *Call) runSetup(l *leg) error {
	pc := l.client.pc
	c.emit("client", KindSignaling, fmt.Sprintf("starting call setup (leg %d, session %s, device %s%s)",
		l.id, l.session, l.spec.profile, relayNote(l.spec.relay, string(c.cfg.faults.relayTransport))))
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return c.logErr(fmt.Errorf("CreateOffer: %w", err))
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		return c.logErr(fmt.Errorf("SetLocalDescription: %w", err))
	}
	if err := waitDone(l.ctx, gathered, "client ICE gathering"); err != nil {
		return err
	}
	answer, err := c.signal(l, pc.LocalDescription().SDP)
	if err != nil {
		return err
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		c.logErr(fmt.Errorf("SetRemoteDescription: %w", err))
		if videoRejected(answer) {
			c.emit("client", KindNegotiation, errNoCommonCodec.Error())
			return errNoCommonCodec
		}
		return fmt.Errorf("negotiation failed: %w", err)
	}
	if videoRejected(answer) { // Pion took it; the app still has no video
		c.emit("client", KindNegotiation, errNoCommonCodec.Error())
		return errNoCommonCodec
	}
	c.mu.Lock()
	l.end = l.ends[answer]
	var codec VideoCodec
	if l.end != nil {
		codec = l.end.codec
	}
	c.mu.Unlock()
	c.emit("client", KindNegotiation, fmt.Sprintf("negotiation complete: video %s, audio opus", codec))
	if err := c.waitConnected(l); err != nil {
		return err
	}
	c.video.RequestKeyFrame() // a new receiver needs a key frame to start
	path := selectedPath(pc)
	c.mu.Lock()
	l.path = path
	if !l.closed && l.state == StateConnecting { // the callback may come later
		l.state = StateConnected
	}
	if l.upAt == 0 {
		l.upAt = c.cfg.now().Sub(c.start)
	}
	c.mu.Unlock()
	c.wakeMedia()
	c.emit("client", KindICE, "selected candidate pair: "+path)
	return nil
}

func relayNote(relay bool, via string) string {
	if !relay {
		return ""
	}
	return ", relay-only via TURN/" + via
}

// signal sends the offer to the leg's signaling domain, retrying as an app
// does, and returns the answer.
func (c *Call) signal(l *leg, offer string) (string, error) {
	f := &c.cfg.faults
	var last error
	for attempt := 1; attempt <= f.signalingAttempts; attempt++ {
		c.emit("client", KindSignaling, fmt.Sprintf("connecting to %s (attempt %d/%d)",
			signaling.URL(l.spec.domain), attempt, f.signalingAttempts))
		answer, err := c.sig.Exchange(l.ctx, l.spec.domain, l.session, offer)
		if err == nil {
			c.emit("client", KindSignaling, fmt.Sprintf("answer received from %s (%d bytes)", l.spec.domain, len(answer)))
			return answer, nil
		}
		if l.ctx.Err() != nil {
			return "", fmt.Errorf("signaling: %w", l.ctx.Err())
		}
		last = err
		c.emit("client", KindError, "signaling error: "+err.Error())
		var refused *signaling.RefusedError
		if errors.As(err, &refused) { // an answer, just not a good one
			return "", fmt.Errorf("signaling: %w", err)
		}
		if attempt < f.signalingAttempts {
			if err := sleepCtx(l.ctx, f.signalingBackoff); err != nil {
				return "", fmt.Errorf("signaling: %w", err)
			}
		}
	}
	return "", fmt.Errorf("signaling with %s failed after %d attempt(s): %w", l.spec.domain, f.signalingAttempts, last)
}

// waitConnected waits until the customer's PeerConnection is connected,
// fails or the leg closes. ICE failure is never an error in Pion: it shows
// only as a state, so failure is polled; success wakes it at once.
func (c *Call) waitConnected(l *leg) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		switch s := l.client.pc.ConnectionState(); s {
		case webrtc.PeerConnectionStateConnected:
			return nil
		case webrtc.PeerConnectionStateFailed:
			return errICEFailed
		case webrtc.PeerConnectionStateClosed:
			return fmt.Errorf("client: connection %s", s)
		}
		select {
		case <-t.C:
		case <-l.up:
		case <-l.ctx.Done():
			return fmt.Errorf("client: wait for connected: %w", l.ctx.Err())
		}
	}
}

// selectedPath describes the nominated candidate pair: the line that tells
// an agent whether the call goes direct or through the relay.
func selectedPath(pc *webrtc.PeerConnection) string {
	report := pc.GetStats()
	cands := map[string]webrtc.ICECandidateStats{}
	for _, s := range report {
		if cs, ok := s.(webrtc.ICECandidateStats); ok {
			cands[cs.ID] = cs
		}
	}
	for _, s := range report {
		p, ok := s.(webrtc.ICECandidatePairStats)
		if !ok || !p.Nominated {
			continue
		}
		return describe(cands[p.LocalCandidateID]) + " -> " + describe(cands[p.RemoteCandidateID])
	}
	return "unknown"
}

func describe(c webrtc.ICECandidateStats) string {
	kind := c.CandidateType.String()
	if c.CandidateType == webrtc.ICECandidateTypeRelay && c.RelayProtocol != "" {
		kind += " (" + c.RelayProtocol + ")"
	}
	return fmt.Sprintf("%s %s %s:%d", kind, c.Protocol, c.IP, c.Port)
}

func (c *Call) logErr(err error) error {
	c.emit("client", KindError, err.Error())
	return err
}

func waitDone(ctx context.Context, done <-chan struct{}, what string) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func joinErrs(errs []error) error { return errors.Join(errs...) }
