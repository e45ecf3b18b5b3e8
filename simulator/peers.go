package simulator

import (
	"fmt"
	"net"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/stats"
	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

const (
	videoPT = 96
	audioPT = 111
	// maxNacksPerPacket bounds retransmission requests: Pion's default
	// re-requests every 100 ms forever, a NACK storm that fills a capped link
	// (shared/notes/pion.md, pitfall 1).
	maxNacksPerPacket = 2
)

// peer is what one side of a call is built from: its impairment (what it
// sends), its stats getter and, on the media server, the bandwidth estimator.
type peer struct {
	name   string
	pc     *webrtc.PeerConnection
	impair *impair.InterceptorFactory
	stats  stats.Getter
	bwe    cc.BandwidthEstimator
}

func codecs() (webrtc.RTPCodecParameters, webrtc.RTPCodecParameters) {
	video := webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeVP8, ClockRate: 90000,
			RTCPFeedback: []webrtc.RTCPFeedback{{Type: "goog-remb"}, {Type: "ccm", Parameter: "fir"}},
		},
		PayloadType: videoPT,
	}
	audio := webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1",
		},
		PayloadType: audioPT,
	}
	return video, audio
}

// newPeer builds one PeerConnection with its own interceptor registry. The
// order matters (shared/notes/pion.md): the impairment is added first, so it is
// nearest the wire and retransmissions, RTCP and TWCC pass through it; stats
// comes before the report interceptors, or it never sees their RTCP and RTT
// stays empty; on the sender, congestion control before TWCC numbering.
func newPeer(name string, cfg *config, imp impair.Config, seedSalt uint64, sender bool) (*peer, error) {
	p := &peer{name: name}
	me := &webrtc.MediaEngine{}
	video, audio := codecs()
	if err := me.RegisterCodec(video, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, fmt.Errorf("%s: register vp8: %w", name, err)
	}
	if err := me.RegisterCodec(audio, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("%s: register opus: %w", name, err)
	}
	reg := &interceptor.Registry{}

	var err error
	p.impair, err = impair.NewInterceptor(impair.WithConfig(imp), impair.WithRand(newRand(cfg.seed, seedSalt)))
	if err != nil {
		return nil, fmt.Errorf("%s: impairment: %w", name, err)
	}
	reg.Add(p.impair)

	st, err := stats.NewInterceptor()
	if err != nil {
		return nil, fmt.Errorf("%s: stats: %w", name, err)
	}
	st.OnNewPeerConnection(func(_ string, g stats.Getter) { p.stats = g })
	reg.Add(st)

	if sender && cfg.congestionControl {
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
			return nil, fmt.Errorf("%s: congestion control: %w", name, err)
		}
		ccf.OnNewPeerConnection(func(_ string, e cc.BandwidthEstimator) { p.bwe = e })
		reg.Add(ccf)
		if err := webrtc.ConfigureTWCCHeaderExtensionSender(me, reg); err != nil {
			return nil, fmt.Errorf("%s: twcc header: %w", name, err)
		}
	}
	if cfg.nack {
		if err := webrtc.ConfigureNackWithOptions(me, reg,
			[]nack.GeneratorOption{nack.GeneratorMaxNacksPerPacket(maxNacksPerPacket)}); err != nil {
			return nil, fmt.Errorf("%s: nack: %w", name, err)
		}
	} else {
		// PLI is still negotiated: a decoder that lost a key frame must ask.
		me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack", Parameter: "pli"}, webrtc.RTPCodecTypeVideo)
	}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return nil, fmt.Errorf("%s: rtcp reports: %w", name, err)
	}
	if !sender {
		if err := webrtc.ConfigureTWCCSender(me, reg); err != nil {
			return nil, fmt.Errorf("%s: twcc feedback: %w", name, err)
		}
	}

	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(reg),
		webrtc.WithSettingEngine(loopbackSettings()))
	p.pc, err = api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("%s: new peer connection: %w", name, err)
	}
	return p, nil
}

// loopbackSettings keeps ICE on 127.0.0.1: loopback candidates are excluded
// by default, and mDNS would advertise names instead of addresses.
func loopbackSettings() webrtc.SettingEngine {
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	return se
}
