package simulator

import (
	"fmt"
	"github.com/rtcdrill/rtcdrill/simulator/capture"
	"net"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	"github.com/pion/sdp/v3"
	"github.com/pion/transport/v5"
	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/nack"
	"github.com/rtcdrill/rtcdrill/simulator/relay"
	"github.com/rtcdrill/rtcdrill/simulator/rtpheader"
	"github.com/rtcdrill/rtcdrill/simulator/transportcc"
)

const (
	videoPT = 96
	audioPT = 111
	// maxNacksPerPacket bounds retransmission requests: a packet is asked
	// for again only when a round trip passed without it, and at most
	// twice, so a capped link that drops many packets is not filled with
	// retransmissions (pion's default re-requested every 100 ms forever:
	// shared/notes/pion.md, pitfall 1). libwebrtc allows 10.
	maxNacksPerPacket = 2
)

// peer is one PeerConnection of a call: the customer's app or the media
// server's end of one session, with, on the media server, its bandwidth
// estimator, set inside NewPeerConnection before the peer is shared.
type peer struct {
	name string
	pc   *webrtc.PeerConnection
	bwe  cc.BandwidthEstimator
}

// peerSpec is what one PeerConnection is built from.
type peerSpec struct {
	name string
	// impair is the direction this peer sends into. The call's two
	// factories outlive the peers: a reconnection keeps the path's
	// impairment and its counters.
	impair *impair.InterceptorFactory
	// capture, when set, records what the peer sends and receives as the
	// app sees it (before encryption), for pcap export and RTP analysis.
	capture *capture.InterceptorFactory
	// sender marks the media server: congestion control on its video.
	sender bool
	video  []VideoCodec
	// net is the peer's network (a firewall); nil is the host's.
	net transport.Net
	// relay, when set, makes the peer relay-only through the TURN server
	// over relayVia.
	relay    *relay.Server
	relayVia relay.Transport
}

// audioCodec is Opus as WebRTC apps offer it; with dtx the app asks for
// discontinuous transmission (RFC 7587's usedtx=1).
func audioCodec(dtx bool) webrtc.RTPCodecParameters {
	fmtp := "minptime=10;useinbandfec=1"
	if dtx {
		fmtp += ";usedtx=1"
	}
	return webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: fmtp,
		},
		PayloadType: audioPT,
	}
}

// newPeer builds one PeerConnection with its own interceptor registry. The
// order matters (shared/notes/pion.md): the impairment is added first, so it is
// nearest the wire and retransmissions, RTCP and TWCC pass through it; on the
// sender, congestion control before TWCC numbering. There is no stats
// interceptor: the remote-inbound figures come from the RTCP every sender
// drains anyway (remote.go), without work on each RTP packet.
func newPeer(cfg *config, spec peerSpec) (*peer, error) {
	p := &peer{name: spec.name}
	me := &webrtc.MediaEngine{}
	for _, v := range spec.video {
		params, err := v.parameters()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.name, err)
		}
		if err := me.RegisterCodec(params, webrtc.RTPCodecTypeVideo); err != nil {
			return nil, fmt.Errorf("%s: register %s: %w", spec.name, v, err)
		}
	}
	if err := me.RegisterCodec(audioCodec(cfg.dtx), webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("%s: register opus: %w", spec.name, err)
	}
	reg := &interceptor.Registry{}
	reg.Add(spec.impair)
	// Before every reader of the header, so that they share one parse
	// into attributes reused per stream.
	headers, err := rtpheader.NewInterceptor()
	if err != nil {
		return nil, fmt.Errorf("%s: rtp headers: %w", spec.name, err)
	}
	reg.Add(headers)
	if spec.capture != nil {
		// Outer to the impairment: outbound it sees what the app sent (before the
		// network), inbound what survived it.
		reg.Add(spec.capture)
	}

	if spec.sender && cfg.congestionControl {
		max := int(cfg.rendition.MaxBitrate)
		ccf, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
			return gcc.NewSendSideBWE(
				gcc.SendSideBWEInitialBitrate(max),
				gcc.SendSideBWEMinBitrate(minBitrate),
				gcc.SendSideBWEMaxBitrate(max),
				gcc.SendSideBWEPacer(gcc.NewNoOpPacer()),
			)
		})
		if err != nil {
			return nil, fmt.Errorf("%s: congestion control: %w", spec.name, err)
		}
		ccf.OnNewPeerConnection(func(_ string, e cc.BandwidthEstimator) { p.bwe = e })
		reg.Add(ccf)
		if err := webrtc.ConfigureTWCCHeaderExtensionSender(me, reg); err != nil {
			return nil, fmt.Errorf("%s: twcc header: %w", spec.name, err)
		}
	}
	if cfg.nack {
		if err := configureNACK(me, reg); err != nil {
			return nil, fmt.Errorf("%s: nack: %w", spec.name, err)
		}
	} else {
		// PLI is still negotiated: a decoder that lost a key frame must ask.
		me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack", Parameter: "pli"}, webrtc.RTPCodecTypeVideo)
	}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return nil, fmt.Errorf("%s: rtcp reports: %w", spec.name, err)
	}
	if !spec.sender {
		if err := configureTWCCFeedback(me, reg); err != nil {
			return nil, fmt.Errorf("%s: twcc feedback: %w", spec.name, err)
		}
	}

	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(reg),
		webrtc.WithSettingEngine(settings(cfg, spec)))
	conf := webrtc.Configuration{}
	if spec.relay != nil {
		conf.ICEServers = []webrtc.ICEServer{spec.relay.ICEServer(spec.relayVia)}
		conf.ICETransportPolicy = webrtc.ICETransportPolicyRelay
	}
	p.pc, err = api.NewPeerConnection(conf)
	if err != nil {
		return nil, fmt.Errorf("%s: new peer connection: %w", spec.name, err)
	}
	return p, nil
}

// configureNACK is webrtc.ConfigureNackWithOptions with the generator and
// responder of package nack, timed by the round trip as libwebrtc's are:
// the same negotiation (nack and nack pli on video) and registry order.
func configureNACK(me *webrtc.MediaEngine, reg *interceptor.Registry) error {
	responder, err := nack.NewResponder()
	if err != nil {
		return err
	}
	generator, err := nack.NewGenerator(nack.WithMaxRetries(maxNacksPerPacket))
	if err != nil {
		return err
	}
	me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack"}, webrtc.RTPCodecTypeVideo)
	me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack", Parameter: "pli"}, webrtc.RTPCodecTypeVideo)
	reg.Add(responder)
	reg.Add(generator)
	return nil
}

// configureTWCCFeedback is webrtc.ConfigureTWCCSender with the feedback
// generator of package transportcc, which records arrivals without waking a
// goroutine per packet: the same negotiation (transport-cc feedback and the
// header extension on video and audio), a cheaper receive path.
func configureTWCCFeedback(me *webrtc.MediaEngine, reg *interceptor.Registry) error {
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		me.RegisterFeedback(webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBTransportCC}, kind)
		if err := me.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}, kind); err != nil {
			return err
		}
	}
	f, err := transportcc.NewInterceptor()
	if err != nil {
		return err
	}
	reg.Add(f)
	return nil
}

// settings keeps ICE on 127.0.0.1 (loopback candidates are excluded by
// default, and mDNS would advertise names instead of addresses) and puts the
// peer on its own network. The customer gathers TCP too, so that a firewall
// that drops UDP leaves TURN over TCP/TLS; ice gathers relay candidates only
// while a UDP type is enabled, so UDP stays on.
func settings(cfg *config, spec peerSpec) webrtc.SettingEngine {
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetICETimeouts(cfg.faults.iceDisconnected, cfg.faults.iceFailed, cfg.faults.iceKeepalive)
	if spec.net != nil {
		se.SetNet(spec.net)
	}
	if spec.sender {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	} else {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeTCP4})
	}
	if spec.relay != nil {
		// webrtc has no setting for the CA of TURN over TLS: the relay's
		// dialer does the TLS itself. Without the 2 s relay acceptance wait
		// a relayed call connects as soon as its checks succeed.
		se.SetICEProxyDialer(spec.relay.Dialer(spec.net))
		se.SetRelayAcceptanceMinWait(0)
	}
	return se
}
