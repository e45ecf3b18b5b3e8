package simulator

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pion/webrtc/v4"
)

// VideoCodec names a video codec as a device offers it.
type VideoCodec string

// The video codecs devices offer.
const (
	VP8 VideoCodec = "vp8"
	VP9 VideoCodec = "vp9"
	AV1 VideoCodec = "av1"
	// H264 is constrained baseline, packetization-mode=1, as browsers
	// offer it. (Pion matches H.264 by name when the format parameters
	// differ, so variants would not change a negotiation's outcome.)
	H264 VideoCodec = "h264"
)

// CodecProfile is the video codecs a client device offers, or a media server
// accepts, in order of preference. Audio is always Opus.
type CodecProfile struct {
	Name  string       `json:"name"`
	Video []VideoCodec `json:"video"`
}

// The named profiles (CodecProfileByName).
const (
	// ProfileIOSSafariOld is Safari before iOS 12.2: H.264 only.
	ProfileIOSSafariOld = "ios_safari_old"
	// ProfilePCChrome is desktop Chrome: VP8, VP9 and H.264.
	ProfilePCChrome = "pc_chrome"
	// ProfileAndroid is an Android app that prefers its hardware H.264
	// encoder and offers H.264 before VP8. Its quirk: a server that takes
	// both follows the offer's order (RFC 3264) and the call runs on H.264,
	// where a phone's hardware encoder quirks show; the default VP8 server
	// gets VP8.
	ProfileAndroid = "android"
	// ProfileWeChatPC is the WeChat built-in browser on PC: H.264 only.
	ProfileWeChatPC = "wechat_pc"
	// ProfileAppLegacy is the company's app before 4.0: H.264 only.
	ProfileAppLegacy = "app_legacy"
	// ProfileAppLatest is the current app: VP8 and H.264.
	ProfileAppLatest = "app_latest"
	// ProfileServerDefault is the media server: VP8 only.
	ProfileServerDefault = "server_default"
)

// CodecProfiles returns every named profile.
func CodecProfiles() []CodecProfile {
	return []CodecProfile{
		{Name: ProfileIOSSafariOld, Video: []VideoCodec{H264}},
		{Name: ProfilePCChrome, Video: []VideoCodec{VP8, VP9, H264}},
		{Name: ProfileAndroid, Video: []VideoCodec{H264, VP8}},
		{Name: ProfileWeChatPC, Video: []VideoCodec{H264}},
		{Name: ProfileAppLegacy, Video: []VideoCodec{H264}},
		{Name: ProfileAppLatest, Video: []VideoCodec{VP8, H264}},
		{Name: ProfileServerDefault, Video: []VideoCodec{VP8}},
	}
}

// CodecProfileByName returns a named profile.
func CodecProfileByName(name string) (CodecProfile, error) {
	for _, p := range CodecProfiles() {
		if p.Name == name {
			return p, nil
		}
	}
	return CodecProfile{}, fmt.Errorf("simulator: no codec profile %q", name)
}

// NewCodecProfile builds a profile from codec names as the scenario format
// writes them (vp8, vp9, h264, av1; h264-mode0 too).
func NewCodecProfile(name string, codecs ...string) (CodecProfile, error) {
	p := CodecProfile{Name: name}
	for _, s := range codecs {
		p.Video = append(p.Video, VideoCodec(strings.ToLower(s)))
	}
	if err := p.Validate(); err != nil {
		return CodecProfile{}, err
	}
	return p, nil
}

// Validate reports an empty profile, an unknown codec or a repeated one.
func (p CodecProfile) Validate() error {
	if len(p.Video) == 0 {
		return fmt.Errorf("codec profile %q: no video codec", p.Name)
	}
	seen := map[VideoCodec]bool{}
	for _, v := range p.Video {
		if _, err := v.parameters(); err != nil {
			return fmt.Errorf("codec profile %q: %w", p.Name, err)
		}
		if seen[v] {
			return fmt.Errorf("codec profile %q: %s listed twice", p.Name, v)
		}
		seen[v] = true
	}
	return nil
}

// String lists the profile as "name (vp8, h264)".
func (p CodecProfile) String() string {
	names := make([]string, len(p.Video))
	for i, v := range p.Video {
		names[i] = string(v)
	}
	return fmt.Sprintf("%s (%s)", p.Name, strings.Join(names, ", "))
}

func (p CodecProfile) has(v VideoCodec) bool {
	for _, x := range p.Video {
		if x == v {
			return true
		}
	}
	return false
}

// parameters is how a codec is registered and offered; both peers use the
// same payload types and format parameters.
func (v VideoCodec) parameters() (webrtc.RTPCodecParameters, error) {
	c := webrtc.RTPCodecCapability{ClockRate: 90000,
		RTCPFeedback: []webrtc.RTCPFeedback{{Type: "goog-remb"}, {Type: "ccm", Parameter: "fir"}}}
	var pt webrtc.PayloadType
	switch v {
	case VP8:
		c.MimeType, pt = webrtc.MimeTypeVP8, videoPT
	case VP9:
		c.MimeType, c.SDPFmtpLine, pt = webrtc.MimeTypeVP9, "profile-id=0", 98
	case AV1:
		c.MimeType, pt = webrtc.MimeTypeAV1, 45
	case H264:
		c.MimeType, pt = webrtc.MimeTypeH264, 102
		c.SDPFmtpLine = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"
	default:
		return webrtc.RTPCodecParameters{}, fmt.Errorf("unknown video codec %q", v)
	}
	return webrtc.RTPCodecParameters{RTPCodecCapability: c, PayloadType: pt}, nil
}

// offeredVideo lists the video codecs of an offer's first video section, as
// the media server reads them to pick the codec of its outgoing video.
func offeredVideo(offerSDP string) ([]VideoCodec, error) {
	sd := webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offerSDP}
	parsed, err := sd.Unmarshal()
	if err != nil {
		return nil, fmt.Errorf("parse offer: %w", err)
	}
	for _, md := range parsed.MediaDescriptions {
		if md.MediaName.Media != "video" {
			continue
		}
		names := map[string]string{}
		for _, a := range md.Attributes {
			if pt, rest, ok := strings.Cut(a.Value, " "); ok && a.Key == "rtpmap" {
				names[pt], _, _ = strings.Cut(strings.ToLower(rest), "/")
			}
		}
		var out []VideoCodec
		for _, pt := range md.MediaName.Formats {
			if v := VideoCodec(names[pt]); v.known() && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out, nil
	}
	return nil, errors.New("offer has no video section")
}

// pickVideo is the media server's choice: the offer's first codec it takes,
// the offerer's preference order of RFC 3264. common is false when there is
// none.
func pickVideo(server CodecProfile, offered []VideoCodec) (codec VideoCodec, common bool) {
	for _, o := range offered {
		if server.has(o) {
			return o, true
		}
	}
	return server.Video[0], false
}

func (v VideoCodec) known() bool {
	_, err := v.parameters()
	return err == nil
}

// videoRejected reports whether an answer refuses its video section (port 0),
// which is how an answerer says "no common codec".
func videoRejected(answerSDP string) bool {
	sd := webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answerSDP}
	parsed, err := sd.Unmarshal()
	if err != nil {
		return false
	}
	for _, md := range parsed.MediaDescriptions {
		if md.MediaName.Media == "video" && md.MediaName.Port.Value == 0 {
			return true
		}
	}
	return false
}
