package browserfeed

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

// TestVideoClips checks what the pump and SetRendition rely on: every
// rendition is the simulator's ladder size, 30 fps, with a key frame every
// 30 frames at the same frame numbers, so a switch can land on any of them.
func TestVideoClips(t *testing.T) {
	var frames int
	for _, name := range Renditions() {
		t.Run(name, func(t *testing.T) {
			clip, err := loadVideo(name)
			require.NoError(t, err)
			rung, err := encoder.RenditionByName(name)
			require.NoError(t, err)
			assert.Equal(t, rung.Width, clip.width)
			assert.Equal(t, rung.Height, clip.height)
			if frames == 0 {
				frames = len(clip.frames)
			}
			assert.Equal(t, frames, len(clip.frames), "every rendition loops at the same frame")
			assert.GreaterOrEqual(t, len(clip.frames), 4*30, "a loop of at least 4 s")
			var total time.Duration
			for i, f := range clip.frames {
				assert.Equal(t, i%30 == 0, f.key, "frame %d", i)
				assert.InDelta(t, float64(time.Second/30), float64(f.dur), float64(time.Millisecond), "frame %d", i)
				total += f.dur
			}
			// Average bitrate of the loop stays near the ladder's ceiling.
			var bytes int
			for _, f := range clip.frames {
				bytes += len(f.data)
			}
			bps := float64(bytes*8) / total.Seconds()
			assert.InEpsilon(t, float64(rung.MaxBitrate), bps, 0.35, "bitrate %.0f", bps)
		})
	}
	t.Run("unknown", func(t *testing.T) {
		_, err := loadVideo("4k")
		assert.ErrorIs(t, err, ErrUnknown)
	})
}

func TestSpeechClips(t *testing.T) {
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			pkts, err := loadSpeech(lang)
			require.NoError(t, err)
			var total time.Duration
			for i, p := range pkts {
				assert.Equal(t, 20*time.Millisecond, p.dur, "packet %d", i)
				total += p.dur
			}
			assert.Greater(t, total, 8*time.Second, "the complaint takes a while to read")
			assert.Less(t, total, 40*time.Second)
		})
	}
	t.Run("unknown", func(t *testing.T) {
		_, err := loadSpeech("fr")
		assert.ErrorIs(t, err, ErrUnknown)
	})
}

func TestOpusDuration(t *testing.T) {
	tests := []struct {
		name    string
		pkt     []byte
		want    time.Duration
		wantErr bool
	}{
		{"SILK 20 ms", []byte{1 << 3}, 20 * time.Millisecond, false},
		{"SILK 60 ms", []byte{3 << 3}, 60 * time.Millisecond, false},
		{"hybrid 10 ms", []byte{12 << 3}, 10 * time.Millisecond, false},
		{"CELT 2.5 ms", []byte{16 << 3}, 2500 * time.Microsecond, false},
		{"CELT 20 ms", []byte{31 << 3}, 20 * time.Millisecond, false},
		{"two frames", []byte{31<<3 | 1}, 40 * time.Millisecond, false},
		{"two frames, different sizes", []byte{31<<3 | 2}, 40 * time.Millisecond, false},
		{"code 3 with 3 frames", []byte{31<<3 | 3, 3}, 60 * time.Millisecond, false},
		{"code 3 without a count", []byte{31<<3 | 3}, 0, true},
		{"code 3 with no frames", []byte{31<<3 | 3, 0}, 0, true},
		{"empty", nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := opusDuration(tt.pkt)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
