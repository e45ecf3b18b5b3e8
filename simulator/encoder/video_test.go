package encoder_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

var epoch = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func rendition(tb testing.TB, name string) encoder.Rendition {
	tb.Helper()
	r, err := encoder.RenditionByName(name)
	require.NoError(tb, err)
	return r
}

// encode runs v for n frames at its frame rate.
func encode(tb testing.TB, v *encoder.Video, n int) []encoder.Frame {
	tb.Helper()
	frames := make([]encoder.Frame, n)
	for i := range frames {
		frames[i] = v.NextFrame(epoch.Add(time.Duration(i) * v.FrameInterval()))
	}
	return frames
}

// bitsPerSecond sums frame sizes over windows of fps frames starting at first.
func bitsPerSecond(frames []encoder.Frame, fps, first int) []float64 {
	var out []float64
	for s := first; s+fps <= len(frames); s += fps {
		var bits float64
		for _, f := range frames[s : s+fps] {
			bits += float64(f.Size * 8)
		}
		out = append(out, bits)
	}
	return out
}

func TestRenditions(t *testing.T) {
	got := encoder.Renditions()
	require.Len(t, got, 3)
	assert.Equal(t, encoder.Rendition{Name: "1080p", Width: 1920, Height: 1080, FPS: 30, MaxBitrate: 2_500_000}, got[0])
	assert.Equal(t, encoder.Rendition{Name: "720p", Width: 1280, Height: 720, FPS: 30, MaxBitrate: 1_200_000}, got[1])
	assert.Equal(t, encoder.Rendition{Name: "360p", Width: 640, Height: 360, FPS: 30, MaxBitrate: 500_000}, got[2])

	tests := []struct {
		name    string
		want    string
		wantErr bool
	}{
		{name: "720p", want: "720p"},
		{name: "1080P", want: "1080p"},
		{name: "4k", wantErr: true},
		{name: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := encoder.RenditionByName(tt.name)
			if tt.wantErr {
				assert.ErrorContains(t, err, "not found")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Name)
		})
	}
}

func TestNewVideoRejects(t *testing.T) {
	good := encoder.Renditions()[1]
	tests := []struct {
		name string
		r    encoder.Rendition
		opts []encoder.VideoOption
	}{
		{name: "zero fps", r: encoder.Rendition{Name: "x", Width: 1, Height: 1, MaxBitrate: 1}},
		{name: "zero bitrate", r: encoder.Rendition{Name: "x", Width: 1, Height: 1, FPS: 30}},
		{name: "huge width", r: encoder.Rendition{Name: "x", Width: 70000, Height: 1, FPS: 30, MaxBitrate: 1}},
		{name: "key interval", r: good, opts: []encoder.VideoOption{encoder.WithKeyFrameInterval(0)}},
		{name: "min bitrate", r: good, opts: []encoder.VideoOption{encoder.WithMinBitrate(-1)}},
		{name: "initial bitrate", r: good, opts: []encoder.VideoOption{encoder.WithInitialBitrate(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := encoder.NewVideo(tt.r, tt.opts...)
			assert.ErrorContains(t, err, "new video encoder")
			assert.Nil(t, v)
		})
	}
}

func TestKeyFrames(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		actions  map[int]func(*encoder.Video) // before frame i
		wantKeys []int
		wantSize map[int][2]int
	}{
		{name: "default every 2 s", wantKeys: []int{0, 60, 120}},
		{name: "every second", interval: time.Second, wantKeys: []int{0, 30, 60, 90, 120, 150}},
		{
			name:     "PLI restarts the schedule",
			actions:  map[int]func(*encoder.Video){25: (*encoder.Video).RequestKeyFrame},
			wantKeys: []int{0, 25, 85, 145},
		},
		{
			name: "rendition change",
			actions: map[int]func(*encoder.Video){40: func(v *encoder.Video) {
				v.SetRendition(encoder.Renditions()[2])
			}},
			wantKeys: []int{0, 40, 100, 160},
			wantSize: map[int][2]int{39: {1280, 720}, 40: {640, 360}, 170: {640, 360}},
		},
		{
			name: "invalid rendition ignored",
			actions: map[int]func(*encoder.Video){40: func(v *encoder.Video) {
				v.SetRendition(encoder.Rendition{Name: "bad"})
			}},
			wantKeys: []int{0, 60, 120},
			wantSize: map[int][2]int{41: {1280, 720}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []encoder.VideoOption
			if tt.interval > 0 {
				opts = append(opts, encoder.WithKeyFrameInterval(tt.interval))
			}
			v, err := encoder.NewVideo(rendition(t, "720p"), opts...)
			require.NoError(t, err)
			var keys []int
			for i := range 180 {
				if act := tt.actions[i]; act != nil {
					act(v)
				}
				f := v.NextFrame(epoch.Add(time.Duration(i) * v.FrameInterval()))
				assert.Equal(t, uint32(i), f.Number)
				if f.KeyFrame {
					keys = append(keys, i)
				}
				if want, ok := tt.wantSize[i]; ok {
					assert.Equal(t, want, [2]int{f.Width, f.Height}, "frame %d", i)
				}
			}
			assert.Equal(t, tt.wantKeys, keys)
		})
	}
}

func TestRateControl(t *testing.T) {
	tests := []struct {
		rendition string
		target    int64
		want      int64
	}{
		{rendition: "1080p", target: 2_500_000, want: 2_500_000},
		{rendition: "1080p", target: 900_000, want: 900_000},
		{rendition: "720p", target: 1_200_000, want: 1_200_000},
		{rendition: "720p", target: 5_000_000, want: 1_200_000},
		{rendition: "360p", target: 300_000, want: 300_000},
		{rendition: "360p", target: 20_000, want: 100_000},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.rendition, tt.target), func(t *testing.T) {
			v, err := encoder.NewVideo(rendition(t, tt.rendition), encoder.WithSeed(7))
			require.NoError(t, err)
			v.SetTargetBitrate(tt.target)
			assert.Equal(t, tt.want, v.TargetBitrate())
			frames := encode(t, v, 30*20)

			// A whole key-frame period pays for its key frame exactly.
			for i, bits := range bitsPerSecond(frames, 60, 60) {
				assert.InEpsilon(t, float64(2*tt.want), bits, 0.02, "key period %d", i)
			}
			// A one-second meter starting at any frame, once the start-up key
			// frame is paid for, reads the target within ±7 %.
			for first := 30; first < 60; first++ {
				for i, bits := range bitsPerSecond(frames, 30, first) {
					assert.InEpsilon(t, float64(tt.want), bits, 0.07, "second %d from frame %d", i, first)
				}
			}
			all := bitsPerSecond(frames, len(frames), 0)
			assert.InEpsilon(t, float64(tt.want*20), all[0], 0.01)
			assertKeyToDelta(t, frames, 4, 6)
		})
	}
}

// assertKeyToDelta checks every key frame against the median delta frame of
// the second around it.
func assertKeyToDelta(tb testing.TB, frames []encoder.Frame, lo, hi float64) {
	tb.Helper()
	for i, f := range frames {
		if !f.KeyFrame {
			continue
		}
		var deltas []int
		for _, d := range frames[max(0, i-15):min(len(frames), i+16)] {
			if !d.KeyFrame {
				deltas = append(deltas, d.Size)
			}
		}
		slices.Sort(deltas)
		ratio := float64(f.Size) / float64(deltas[len(deltas)/2])
		assert.True(tb, ratio >= lo && ratio <= hi, "key frame %d is %.2fx a delta frame", i, ratio)
	}
}

func TestRateFollowsTarget(t *testing.T) {
	v, err := encoder.NewVideo(rendition(t, "1080p"), encoder.WithSeed(3))
	require.NoError(t, err)
	frames := encode(t, v, 150)
	v.SetTargetBitrate(600_000) // the controller reacts to a squeeze
	frames = append(frames, encode(t, v, 150)...)
	v.SetTargetBitrate(1_500_000)
	frames = append(frames, encode(t, v, 180)...)

	// Two-second windows from a key frame: the first after each change
	// still pays for the old rate's key frame and is left out.
	perPeriod := bitsPerSecond(frames, 60, 0)
	require.Len(t, perPeriod, 8)
	for i, want := range map[int]float64{1: 2 * 2_500_000, 3: 2 * 600_000, 4: 2 * 600_000, 6: 2 * 1_500_000, 7: 2 * 1_500_000} {
		assert.InEpsilon(t, want, perPeriod[i], 0.03, "period %d", i)
	}
}

func TestTargetClampFollowsRendition(t *testing.T) {
	v, err := encoder.NewVideo(rendition(t, "1080p"), encoder.WithInitialBitrate(2_000_000), encoder.WithMinBitrate(150_000))
	require.NoError(t, err)
	assert.Equal(t, int64(2_000_000), v.TargetBitrate())
	v.SetRendition(rendition(t, "360p"))
	assert.Equal(t, int64(500_000), v.TargetBitrate())
	assert.Equal(t, "360p", v.Rendition().Name)
	v.SetRendition(rendition(t, "720p"))
	assert.Equal(t, int64(1_200_000), v.TargetBitrate(), "the controller's 2 Mbit/s applies up to the new ceiling")
	v.SetTargetBitrate(0)
	assert.Equal(t, int64(150_000), v.TargetBitrate())
	assert.Equal(t, time.Second/30, v.FrameInterval())
}

func TestSeed(t *testing.T) {
	sizes := func(seed uint64) []int {
		v, err := encoder.NewVideo(rendition(t, "720p"), encoder.WithSeed(seed))
		require.NoError(t, err)
		var out []int
		for _, f := range encode(t, v, 90) {
			out = append(out, f.Size)
		}
		return out
	}
	assert.Equal(t, sizes(11), sizes(11))
	assert.NotEqual(t, sizes(11), sizes(12))
}

func TestVideoConcurrentUse(t *testing.T) {
	v, err := encoder.NewVideo(rendition(t, "720p"))
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 300 {
			v.SetTargetBitrate(int64(200_000 + i*1000))
			if i%50 == 0 {
				v.RequestKeyFrame()
			}
		}
	})
	frames := encode(t, v, 300)
	wg.Wait()
	for i, f := range frames {
		assert.Equal(t, uint32(i), f.Number)
		assert.Positive(t, f.Size)
	}
}

func BenchmarkNextFramePacketize(b *testing.B) {
	v, err := encoder.NewVideo(encoder.Renditions()[0])
	require.NoError(b, err)
	interval := v.FrameInterval()
	for i := 0; b.Loop(); i++ {
		f := v.NextFrame(epoch.Add(time.Duration(i) * interval))
		_ = encoder.Packetize(f, 1200)
	}
}
