// Package encoder provides synthetic media sources that behave like real
// encoders on the wire, without encoding any picture or sound.
//
// Video produces VP8-packetised frames at a rendition's frame rate, with
// periodic key frames, a key frame on demand (PLI/FIR), and frame sizes that
// follow a target bitrate the way a real-time encoder's rate control does:
// a key frame costs several delta frames and the frames after it pay the
// excess back, so the bitrate over a second stays on target. Audio produces
// Opus-sized packets every 20 ms.
//
// Every payload carries a small rtcdrill header (frame number, capture time,
// resolution) after the codec's own descriptor, so the receiver model can
// assemble frames and measure end-to-end delay without decoding anything.
// The payloads are not decodable VP8 or Opus: a browser receiving them would
// show nothing.
package encoder

import (
	"fmt"
	"strings"
)

// Rendition is one rung of the simulcast/ABR ladder: a resolution, a frame
// rate and the bitrate ceiling an encoder uses for it.
type Rendition struct {
	Name          string
	Width, Height int
	FPS           int
	// MaxBitrate is the ceiling in bit/s: more bits would not make this
	// resolution look noticeably better.
	MaxBitrate int64
}

// Renditions returns the ladder the simulator uses, highest first, so that
// stepping down a resolution is stepping to the next element.
func Renditions() []Rendition {
	return []Rendition{
		{Name: "1080p", Width: 1920, Height: 1080, FPS: 30, MaxBitrate: 2_500_000},
		{Name: "720p", Width: 1280, Height: 720, FPS: 30, MaxBitrate: 1_200_000},
		{Name: "360p", Width: 640, Height: 360, FPS: 30, MaxBitrate: 500_000},
	}
}

// RenditionByName returns the ladder rung with that name (case-insensitive),
// or an error naming the known ones.
func RenditionByName(name string) (Rendition, error) {
	var names []string
	for _, r := range Renditions() {
		if strings.EqualFold(r.Name, name) {
			return r, nil
		}
		names = append(names, r.Name)
	}
	return Rendition{}, fmt.Errorf("rendition %q: not found (known: %s)", name, strings.Join(names, ", "))
}

func (r Rendition) validate() error {
	if r.Width <= 0 || r.Height <= 0 || r.FPS <= 0 || r.MaxBitrate <= 0 {
		return fmt.Errorf("rendition %q: width, height, fps and max bitrate must be positive", r.Name)
	}
	if r.Width > 0xFFFF || r.Height > 0xFFFF {
		return fmt.Errorf("rendition %q: %dx%d exceeds the 16-bit size field", r.Name, r.Width, r.Height)
	}
	return nil
}
