package simulator

import (
	"context"
	"errors"
	"fmt"

	"github.com/pion/webrtc/v4"
)

// answer is the signaling servers' handler: the media server serving the
// session builds a PeerConnection for the offer and answers it. The server
// picks its video codec from the offer, as an SFU does. With no codec in
// common it sends no video, and Pion's answer rejects the video section
// (m=video 0): the customer's SetRemoteDescription then fails for real.
// (Adding the track anyway fails earlier and less like the field:
// CreateAnswer "RTPSender created with no codecs".)
func (c *Call) answer(ctx context.Context, session, offerSDP string) (string, error) {
	l := c.legOf(session)
	if l == nil {
		return "", fmt.Errorf("unknown session %s", session)
	}
	name := l.spec.server
	if n := c.serverNet[name]; n != nil && n.Rules().Down {
		return "", fmt.Errorf("media server %s unreachable", name)
	}
	offered, err := offeredVideo(offerSDP)
	if err != nil {
		return "", err
	}
	codec, common := pickVideo(c.cfg.faults.serverProfile, offered)
	if !common {
		c.emit("media-"+name, KindNegotiation, fmt.Sprintf("offer has no video codec this server takes (offered %v, server takes %v)",
			offered, c.cfg.faults.serverProfile.Video))
	}
	end, err := c.newServerEnd(l, name, codec)
	if err != nil {
		return "", err
	}
	answer, err := c.negotiateAnswer(ctx, end, offerSDP, common)
	if err != nil {
		c.emit(end.peer.name, KindError, err.Error())
		_ = end.peer.pc.Close()
		return "", err
	}
	c.mu.Lock()
	if l.closed {
		c.mu.Unlock()
		_ = end.peer.pc.Close()
		return "", errors.New("session closed")
	}
	l.ends[answer] = end
	c.mu.Unlock()
	return answer, nil
}

// negotiateAnswer applies the offer, adds the video track when the server
// sends video, and returns the answer with every candidate (non-trickle).
func (c *Call) negotiateAnswer(ctx context.Context, end *serverEnd, offer string, video bool) (string, error) {
	pc := end.peer.pc
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", fmt.Errorf("SetRemoteDescription: %w", err)
	}
	if video {
		if err := c.addTrack(end, end.videoTrack, &end.videoSSRC, &end.videoRemote, true); err != nil {
			return "", err
		}
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("CreateAnswer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return "", fmt.Errorf("SetLocalDescription: %w", err)
	}
	if err := waitDone(ctx, gathered, "server ICE gathering"); err != nil {
		return "", err
	}
	return pc.LocalDescription().SDP, nil
}

func (c *Call) legOf(session string) *leg {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.session == session && !c.cur.closed {
		return c.cur
	}
	return nil
}

// newServerEnd builds the media server's PeerConnection for one offer.
func (c *Call) newServerEnd(l *leg, server string, codec VideoCodec) (*serverEnd, error) {
	spec := peerSpec{name: "media-" + server, impair: c.down, sender: true, video: c.cfg.faults.serverProfile.Video}
	if n := c.serverNet[server]; n != nil {
		spec.net = n
	}
	p, err := newPeer(&c.cfg, spec)
	if err != nil {
		return nil, err
	}
	end := &serverEnd{peer: p, server: server, codec: codec}
	if err := c.wireServer(l, end); err != nil {
		_ = p.pc.Close()
		return nil, err
	}
	return end, nil
}

func (c *Call) wireServer(l *leg, end *serverEnd) error {
	p := end.peer
	params, err := end.codec.parameters()
	if err != nil {
		return err
	}
	if end.videoTrack, err = webrtc.NewTrackLocalStaticRTP(params.RTPCodecCapability, "video", "rtcdrill-server"); err != nil {
		return fmt.Errorf("%s: video track: %w", p.name, err)
	}
	if end.audioTrack, err = webrtc.NewTrackLocalStaticRTP(audioCodec(c.cfg.dtx).RTPCodecCapability, "audio", "rtcdrill-server"); err != nil {
		return fmt.Errorf("%s: audio track: %w", p.name, err)
	}
	if err := c.addTrack(end, end.audioTrack, &end.audioSSRC, &end.audioRemote, false); err != nil {
		return err
	}
	p.pc.OnTrack(func(t *webrtc.TrackRemote, r *webrtc.RTPReceiver) { c.readTrack(l, false, t, r) })
	p.pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		c.emit(p.name, KindICE, "ICE connection state changed: "+s.String())
	})
	p.pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		c.emit(p.name, KindPC, "connection state changed: "+s.String())
		if s == webrtc.PeerConnectionStateConnected && !end.ready.Swap(true) {
			c.wakeMedia()
		}
	})
	return nil
}

func (c *Call) addTrack(end *serverEnd, tr *webrtc.TrackLocalStaticRTP, ssrc *uint32, remote **remoteView, video bool) error {
	s, err := end.peer.pc.AddTrack(tr)
	if err != nil {
		return fmt.Errorf("%s: add %s track: %w", end.peer.name, tr.Kind(), err)
	}
	if enc := s.GetParameters().Encodings; len(enc) > 0 {
		*ssrc = uint32(enc[0].SSRC)
	}
	*remote = newRemoteView(*ssrc, tr.Codec().ClockRate)
	c.drainRTCP(s, *remote, video)
	return nil
}
