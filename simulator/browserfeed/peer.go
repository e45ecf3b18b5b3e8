package browserfeed

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// maxNacksPerPacket is the engine's NACK generator limit (simulator/peers.go):
// Pion's default re-requests every 100 ms forever, a storm that fills a
// capped link (shared/notes/pion.md, pitfall 1).
const maxNacksPerPacket = 2

// newPeerConnection builds the media server's side of the browser's call,
// the way the engine builds its media server: the impairment FIRST in the
// registry, so it is nearest the wire and retransmissions, RTCP reports and
// TWCC pass through it too.
func newPeerConnection(cfg *config) (*webrtc.PeerConnection, *impair.InterceptorFactory, error) {
	me := &webrtc.MediaEngine{}
	video := webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeVP8, ClockRate: 90000,
			RTCPFeedback: []webrtc.RTCPFeedback{{Type: "goog-remb"}, {Type: "ccm", Parameter: "fir"}},
		},
		PayloadType: 96,
	}
	audio := webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: opusRate, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1",
		},
		PayloadType: 111,
	}
	if err := me.RegisterCodec(video, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, nil, fmt.Errorf("register vp8: %w", err)
	}
	// Retransmissions go on an RTX stream (RFC 4588), as from any real SFU.
	// Without it they reuse the media's SSRC and sequence numbers, and a
	// browser counts a repaired packet as received: its packetsLost would
	// show what NACK could not repair instead of the network's loss.
	rtx := webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeRTX, ClockRate: 90000, SDPFmtpLine: "apt=96"},
		PayloadType:        97,
	}
	if err := me.RegisterCodec(rtx, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, nil, fmt.Errorf("register rtx: %w", err)
	}
	if err := me.RegisterCodec(audio, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, nil, fmt.Errorf("register opus: %w", err)
	}

	rng := cfg.rng
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	imp, err := impair.NewInterceptor(impair.WithConfig(cfg.impairment), impair.WithClock(cfg.clock),
		impair.WithRand(rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))))
	if err != nil {
		return nil, nil, fmt.Errorf("impairment: %w", err)
	}
	reg := &interceptor.Registry{}
	reg.Add(imp)
	if err := webrtc.ConfigureNackWithOptions(me, reg,
		[]nack.GeneratorOption{nack.GeneratorMaxNacksPerPacket(maxNacksPerPacket)}); err != nil {
		return nil, nil, fmt.Errorf("nack: %w", err)
	}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return nil, nil, fmt.Errorf("rtcp reports: %w", err)
	}
	// The sequence numbers make the browser send transport-wide feedback, as
	// it does to any real SFU; the clips cannot adapt, so nothing acts on it.
	if err := webrtc.ConfigureTWCCHeaderExtensionSender(me, reg); err != nil {
		return nil, nil, fmt.Errorf("twcc header: %w", err)
	}

	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(reg),
		webrtc.WithSettingEngine(iceSettings(cfg.addrs)))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, nil, fmt.Errorf("new peer connection: %w", err)
	}
	return pc, imp, nil
}

// iceSettings keeps ICE on 127.0.0.1, as the engine does (loopback
// candidates are excluded by default, and mDNS would advertise names instead
// of addresses), plus the addresses the operator named for browsers on other
// machines.
func iceSettings(addrs []netip.Addr) webrtc.SettingEngine {
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(iceFilter(addrs))
	types := []webrtc.NetworkType{webrtc.NetworkTypeUDP4}
	if slices.ContainsFunc(addrs, func(a netip.Addr) bool { return a.Is6() && !a.Is4In6() }) {
		types = append(types, webrtc.NetworkTypeUDP6)
	}
	se.SetNetworkTypes(types)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	return se
}

// iceFilter admits loopback and the given addresses.
func iceFilter(addrs []netip.Addr) func(net.IP) bool {
	return func(ip net.IP) bool {
		if ip.IsLoopback() {
			return true
		}
		a, ok := netip.AddrFromSlice(ip)
		if !ok {
			return false
		}
		a = a.Unmap()
		return slices.ContainsFunc(addrs, func(b netip.Addr) bool { return b.Unmap() == a })
	}
}
