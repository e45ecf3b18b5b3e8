package simulator

import (
	"strings"

	"github.com/pion/webrtc/v4"
)

// camera is the customer's camera track. It binds as Pion's
// TrackLocalStaticRTP does (by codec name, Pion's fallback match), but to
// whichever of the device's codecs the answer accepted, as a browser's
// encoder can produce any codec it offered. When the answer accepts none,
// Pion's SetRemoteDescription fails with the error it returns for
// TrackLocalStaticRTP: ErrUnsupportedCodec ("unable to start track, codec
// is not supported by remote"), the line a Pion app logs on a codec
// mismatch. The engine models the customer's video as muted: nothing is
// written to the track, and the uplink carries the customer's audio only.
type camera struct {
	profile CodecProfile
}

var _ webrtc.TrackLocal = (*camera)(nil)

// Bind picks the device's most preferred codec among the negotiated ones.
func (c *camera) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	for _, v := range c.profile.Video {
		want, err := v.parameters()
		if err != nil {
			continue
		}
		for _, got := range ctx.CodecParameters() {
			if strings.EqualFold(got.MimeType, want.MimeType) {
				return got, nil
			}
		}
	}
	return webrtc.RTPCodecParameters{}, webrtc.ErrUnsupportedCodec
}

// Unbind has nothing to release: the camera holds no binding.
func (c *camera) Unbind(webrtc.TrackLocalContext) error { return nil }

// ID is the track id.
func (c *camera) ID() string { return "camera" }

// RID is empty: no simulcast.
func (c *camera) RID() string { return "" }

// StreamID is the customer's media stream.
func (c *camera) StreamID() string { return "rtcdrill-client" }

// Kind is video.
func (c *camera) Kind() webrtc.RTPCodecType { return webrtc.RTPCodecTypeVideo }
