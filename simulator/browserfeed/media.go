package browserfeed

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

//go:embed media/*.ivf media/*.ogg
var mediaFS embed.FS

// The renditions and languages the embedded clips come in. The rendition
// names are the simulator's ladder (simulator/encoder.Renditions).
const (
	Rendition1080p = "1080p"
	Rendition720p  = "720p"
	Rendition360p  = "360p"

	LanguageEN = "en"
	LanguageZH = "zh-CN"
)

// ErrUnknown matches (errors.Is) a rendition or language with no clip.
var ErrUnknown = errors.New("browserfeed: no such clip")

// opusRate is Opus's RTP clock, whatever the sampling rate of the source.
const opusRate = 48000

// Renditions lists the video renditions, highest first.
func Renditions() []string { return []string{Rendition1080p, Rendition720p, Rendition360p} }

// Languages lists the languages of the customer's voice.
func Languages() []string { return []string{LanguageEN, LanguageZH} }

// videoFrame is one IVF frame: exactly one shown VP8 frame (the clips have no
// alternate reference frames), sent as one sample.
type videoFrame struct {
	data []byte
	dur  time.Duration
	key  bool
}

// videoClip is a rendition's loop.
type videoClip struct {
	name          string
	width, height int
	frames        []videoFrame
}

// audioPacket is one Ogg page of the speech clip: make-media.sh writes one
// 20 ms Opus packet per page, so a page is one sample.
type audioPacket struct {
	data []byte
	dur  time.Duration
}

// loadVideo parses a rendition's IVF clip. Each frame lasts until the next
// one's timestamp; the last lasts as long as the one before it, so the loop
// keeps the clip's frame rate across the seam.
func loadVideo(name string) (*videoClip, error) {
	if !slices.Contains(Renditions(), name) {
		return nil, fmt.Errorf("video %q: %w", name, ErrUnknown)
	}
	path := "media/video-" + name + ".ivf"
	raw, err := mediaFS.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	r, hdr, err := ivfreader.NewWith(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if hdr.FourCC != "VP80" {
		return nil, fmt.Errorf("load %s: codec %q, want VP80", path, hdr.FourCC)
	}
	// The file's timestamps count Numerator/Denominator seconds (pion names
	// the header's fields by position: the rate at 16, the scale at 20), but
	// ivfreader hands them out multiplied by Denominator/Numerator; undo that
	// to get the file's own. TestVideoClips checks the frame times.
	num, den := uint64(hdr.TimebaseNumerator), uint64(hdr.TimebaseDenominator)
	unit := time.Duration(float64(time.Second) * float64(num) / float64(den))
	clip := &videoClip{name: name, width: int(hdr.Width), height: int(hdr.Height)}
	var stamps []uint64
	for {
		data, fh, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load %s: frame %d: %w", path, len(clip.frames), err)
		}
		if len(data) == 0 {
			return nil, fmt.Errorf("load %s: frame %d is empty", path, len(clip.frames))
		}
		// VP8's frame tag: bit 0 of the first byte is 0 on a key frame (RFC 6386, 9.1).
		clip.frames = append(clip.frames, videoFrame{data: data, key: data[0]&1 == 0})
		stamps = append(stamps, fh.Timestamp*num/den)
	}
	if len(clip.frames) < 2 || !clip.frames[0].key {
		return nil, fmt.Errorf("load %s: want at least 2 frames starting with a key frame", path)
	}
	for i := range clip.frames {
		if i+1 < len(stamps) {
			if stamps[i+1] <= stamps[i] {
				return nil, fmt.Errorf("load %s: frame %d: timestamps not increasing", path, i+1)
			}
			clip.frames[i].dur = time.Duration(stamps[i+1]-stamps[i]) * unit
		} else {
			clip.frames[i].dur = clip.frames[i-1].dur
		}
	}
	return clip, nil
}

// loadSpeech parses a language's Ogg Opus clip: the OpusHead page is read by
// the reader, the OpusTags page is skipped, and each later page is one
// packet (make-media.sh writes one per page). A packet's duration comes from
// its own TOC byte rather than the granule positions, whose last step is cut
// short at the end of the stream and would shift the loop's timestamps.
func loadSpeech(lang string) ([]audioPacket, error) {
	if !slices.Contains(Languages(), lang) {
		return nil, fmt.Errorf("speech %q: %w", lang, ErrUnknown)
	}
	path := "media/speech-" + lang + ".ogg"
	raw, err := mediaFS.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	r, _, err := oggreader.NewWith(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	var out []audioPacket
	for {
		data, ph, err := r.ParseNextPage()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load %s: page %d: %w", path, len(out), err)
		}
		if kind, ok := ph.HeaderType(data); ok && kind == oggreader.HeaderOpusTags {
			continue
		}
		dur, err := opusDuration(data)
		if err != nil {
			return nil, fmt.Errorf("load %s: page %d: %w", path, len(out), err)
		}
		out = append(out, audioPacket{data: data, dur: dur})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load %s: no audio", path)
	}
	return out, nil
}

// opusDuration is how much audio an Opus packet holds, from its TOC byte
// (RFC 6716, 3.1): the configuration gives the frame size, the code the
// number of frames.
func opusDuration(pkt []byte) (time.Duration, error) {
	if len(pkt) == 0 {
		return 0, errors.New("empty opus packet")
	}
	toc := pkt[0]
	config := int(toc >> 3)
	var frame time.Duration
	switch {
	case config < 12: // SILK: 10, 20, 40, 60 ms
		frame = []time.Duration{10, 20, 40, 60}[config%4] * time.Millisecond
	case config < 16: // hybrid: 10, 20 ms
		frame = []time.Duration{10, 20}[config%2] * time.Millisecond
	default: // CELT: 2.5, 5, 10, 20 ms
		frame = []time.Duration{2500, 5000, 10000, 20000}[config%4] * time.Microsecond
	}
	n := 1
	switch toc & 3 {
	case 1, 2:
		n = 2
	case 3:
		if len(pkt) < 2 {
			return 0, errors.New("opus code 3 packet without a frame count")
		}
		n = int(pkt[1] & 0x3f)
	}
	if n == 0 {
		return 0, errors.New("opus packet with no frames")
	}
	return time.Duration(n) * frame, nil
}
