package receiver_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/receiver"
)

func TestVideoCleanStream(t *testing.T) {
	jitter := rand.New(rand.NewPCG(4, 4))
	tests := []struct {
		name  string
		path  videoPath
		exact bool // constant delay: E2E is exactly network + playout delay
	}{
		{name: "in order", path: steady, exact: true},
		{name: "every packet duplicated", path: func(encoder.VideoInfo) []time.Duration {
			return []time.Duration{netDelay, netDelay + 3*time.Millisecond}
		}, exact: true},
		{name: "reordered within the buffer", path: func(encoder.VideoInfo) []time.Duration {
			return []time.Duration{netDelay + time.Duration(jitter.IntN(20_000))*time.Microsecond}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := videoCall{frames: 300, run: 10*time.Second + 500*time.Millisecond, path: tt.path}.simulate(t)
			s := res.stats
			assert.Equal(t, uint64(300), s.FramesReceived)
			assert.Equal(t, uint64(300), s.FramesDecoded)
			assert.Equal(t, uint64(300), s.FramesRendered)
			assert.Zero(t, s.FramesDropped)
			assert.Zero(t, s.FreezeCount)
			assert.Zero(t, s.TotalFreezesDuration)
			assert.Equal(t, uint64(5), s.KeyFramesDecoded)
			assert.Equal(t, [2]int{1280, 720}, [2]int{s.FrameWidth, s.FrameHeight})
			assert.Empty(t, res.keyRequests)
			for sec := 2; sec < 10; sec++ {
				fps := res.perSecond[sec].FramesRendered - res.perSecond[sec-1].FramesRendered
				assert.InDelta(t, 30, fps, 1, "second %d", sec)
			}
			if tt.exact {
				assert.Equal(t, interval, s.PlayoutDelay)
				assert.Equal(t, netDelay+s.PlayoutDelay, s.EndToEndDelay)
				assert.Equal(t, netDelay+interval, s.FirstFrame)
				assert.Zero(t, s.Jitter)
			} else {
				assert.Greater(t, s.PlayoutDelay, interval, "jitter grows the buffer")
				assert.Positive(t, s.Jitter)
				assert.Less(t, s.EndToEndDelay, netDelay+20*time.Millisecond+s.PlayoutDelay)
			}
		})
	}
}

func TestVideoLoss(t *testing.T) {
	// Packet 1 of frame 10 goes missing; repair, if any, arrives extra late.
	lose := func(repair time.Duration) videoPath {
		return func(info encoder.VideoInfo) []time.Duration {
			if info.FrameNumber != 10 || info.Index != 1 {
				return []time.Duration{netDelay}
			}
			if repair == 0 {
				return nil
			}
			return []time.Duration{netDelay + repair}
		}
	}
	tests := []struct {
		name         string
		path         videoPath
		pli          bool
		wantDropped  uint64
		wantKeys     uint64
		wantRequests int
		wantFreezes  uint64
		// freezeSlack: the late repair still completes frame 10, which
		// teaches the buffer to wait a little longer, delaying frame 60.
		freezeSlack time.Duration
	}{
		// Frames 10-59 are lost to the decoder until the key frame at 2 s;
		// PLIs go unanswered, one per 500 ms.
		{name: "never repaired", path: lose(0), wantDropped: 50, wantKeys: 5, wantRequests: 4, wantFreezes: 1},
		// The PLI goes out when frame 10 is given up (73 ms after frame
		// 11's capture); frames 11 and 12 are captured before it and
		// dropped; frame 13 is the answering key frame.
		{name: "never repaired, PLI answered", path: lose(0), pli: true, wantDropped: 3, wantKeys: 6, wantRequests: 1},
		{name: "repaired before the deadline", path: lose(25 * time.Millisecond), wantKeys: 5},
		{name: "repaired after the deadline", path: lose(60 * time.Millisecond), wantDropped: 50, wantKeys: 5, wantRequests: 4, wantFreezes: 1, freezeSlack: 5 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := videoCall{frames: 300, run: 10*time.Second + 500*time.Millisecond, path: tt.path, pli: tt.pli}.simulate(t)
			s := res.stats
			assert.Equal(t, tt.wantDropped, s.FramesDropped)
			assert.Equal(t, 300-tt.wantDropped, s.FramesRendered)
			assert.Equal(t, tt.wantKeys, s.KeyFramesDecoded)
			assert.Len(t, res.keyRequests, tt.wantRequests)
			assert.Equal(t, tt.wantFreezes, s.FreezeCount)
			if tt.wantFreezes > 0 {
				// Frame 9 to frame 60.
				assert.GreaterOrEqual(t, s.TotalFreezesDuration, 51*interval)
				assert.LessOrEqual(t, s.TotalFreezesDuration, 51*interval+tt.freezeSlack)
			}
			for i := 1; i < len(res.keyRequests); i++ {
				assert.Equal(t, 500*time.Millisecond, res.keyRequests[i].Sub(res.keyRequests[i-1]).Round(tick))
			}
		})
	}
}

func TestVideoGap(t *testing.T) {
	inSecondTwo := func(info encoder.VideoInfo) bool { return info.FrameNumber >= 30 && info.FrameNumber < 60 }
	tests := []struct {
		name         string
		path         videoPath
		wantDropped  uint64
		wantFreeze   time.Duration
		wantRendered uint64
	}{
		{
			name: "a second of frames lost",
			path: func(info encoder.VideoInfo) []time.Duration {
				if inSecondTwo(info) {
					return nil
				}
				return steady(info)
			},
			// Frame 29 to the key frame 60.
			wantDropped: 30, wantFreeze: 31 * interval, wantRendered: 270,
		},
		{
			name: "the network stalls for a second",
			path: func(info encoder.VideoInfo) []time.Duration {
				if inSecondTwo(info) {
					// Held back, released with frame 60.
					return []time.Duration{netDelay + time.Duration(60-info.FrameNumber)*interval}
				}
				return steady(info)
			},
			// Frame 29 to frame 30, which now arrives with frame 60.
			wantFreeze: 30 * interval, wantRendered: 300,
		},
		{
			name: "the delay steps up by 200 ms",
			path: func(info encoder.VideoInfo) []time.Duration {
				if info.FrameNumber >= 90 {
					return []time.Duration{netDelay + 200*time.Millisecond}
				}
				return steady(info)
			},
			// Frame 89 on time, frame 90 200 ms late: one interval apart
			// in capture, 200 ms apart on screen.
			wantFreeze: 200 * time.Millisecond, wantRendered: 300,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := videoCall{frames: 300, run: 11 * time.Second, path: tt.path}.simulate(t)
			s := res.stats
			assert.Equal(t, uint64(1), s.FreezeCount)
			assert.Equal(t, tt.wantFreeze, s.TotalFreezesDuration)
			assert.Equal(t, tt.wantDropped, s.FramesDropped)
			assert.Equal(t, tt.wantRendered, s.FramesRendered)
			assert.Less(t, s.EndToEndDelay, 500*time.Millisecond, "the latency a stall added drains away")
		})
	}
}

func TestVideoFirstFrame(t *testing.T) {
	tests := []struct {
		name      string
		firstShot time.Duration // after call start
		path      videoPath
		want      time.Duration
	}{
		{name: "camera starts with the call", want: netDelay + interval},
		{name: "camera starts late", firstShot: 500 * time.Millisecond, want: 500*time.Millisecond + netDelay + interval},
		{
			// Frame 0 is given up at frame 1's arrival (73 ms), the PLI
			// makes frame 3 (captured at 100 ms) a key frame.
			name: "first key frame lost",
			path: func(info encoder.VideoInfo) []time.Duration {
				if info.FrameNumber == 0 && info.Index == 0 {
					return nil
				}
				return steady(info)
			},
			want: 3*interval + netDelay + interval,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := videoCall{firstShot: epoch.Add(tt.firstShot), frames: 30, run: 2 * time.Second, path: tt.path, pli: true}.simulate(t)
			assert.Equal(t, tt.want, res.stats.FirstFrame)
		})
	}
}

func TestVideoFirstFrameZeroUntilRendered(t *testing.T) {
	rx, err := receiver.NewVideo(epoch)
	require.NoError(t, err)
	rx.Push(0, encoder.VideoInfo{FrameNumber: 0, KeyFrame: true, Count: 2, Capture: epoch}, epoch.Add(netDelay))
	rx.Tick(epoch.Add(time.Second))
	s := rx.Stats()
	assert.Zero(t, s.FirstFrame)
	assert.Zero(t, s.FramesRendered)
	assert.Zero(t, s.FramesDropped, "a stalled frame with nothing after it is waited for")
}

func TestNeedKeyFrameRateLimited(t *testing.T) {
	rx, err := receiver.NewVideo(epoch, receiver.WithKeyFrameRequestInterval(500*time.Millisecond))
	require.NoError(t, err)
	frame := func(n uint32, key bool, got ...int) {
		capture := epoch.Add(time.Duration(n) * interval)
		for _, i := range got {
			rx.Push(uint16(n*2+uint32(i)), encoder.VideoInfo{FrameNumber: n, KeyFrame: key, Index: i, Count: 2, Capture: capture}, capture.Add(netDelay))
		}
	}
	frame(0, true, 0, 1)
	frame(1, false, 0) // packet 1 lost
	frame(2, false, 0, 1)
	now := epoch.Add(time.Second)
	rx.Tick(now)
	assert.Equal(t, uint64(2), rx.Stats().FramesDropped, "frame 1 lost, frame 2 undecodable")

	assert.True(t, rx.NeedKeyFrame(now))
	assert.False(t, rx.NeedKeyFrame(now.Add(100*time.Millisecond)))
	assert.False(t, rx.NeedKeyFrame(now.Add(499*time.Millisecond)))
	assert.True(t, rx.NeedKeyFrame(now.Add(500*time.Millisecond)))

	frame(3, true, 0, 1)
	rx.Tick(now.Add(2 * time.Second))
	assert.Equal(t, uint64(2), rx.Stats().KeyFramesDecoded)
	assert.False(t, rx.NeedKeyFrame(now.Add(3*time.Second)), "decodable again")
}

func TestVideoIgnoresBadPackets(t *testing.T) {
	rx, err := receiver.NewVideo(epoch)
	require.NoError(t, err)
	key := encoder.VideoInfo{FrameNumber: 0, KeyFrame: true, Count: 1, Capture: epoch}
	rx.Push(0, encoder.VideoInfo{FrameNumber: 0, Index: 3, Count: 2, Capture: epoch}, epoch)
	rx.Push(0, encoder.VideoInfo{FrameNumber: 0, Count: 0, Capture: epoch}, epoch)
	rx.Push(1, key, epoch.Add(netDelay))
	rx.Tick(epoch.Add(time.Second))
	rx.Push(1, key, epoch.Add(time.Second)) // its turn has passed
	s := rx.Stats()
	assert.Equal(t, uint64(1), s.FramesReceived)
	assert.Equal(t, uint64(1), s.FramesRendered)
}

func TestNewVideoRejects(t *testing.T) {
	tests := []struct {
		name string
		opts []receiver.VideoOption
	}{
		{name: "negative max", opts: []receiver.VideoOption{receiver.WithMaxPlayoutDelay(-1)}},
		{name: "negative min", opts: []receiver.VideoOption{receiver.WithMinPlayoutDelay(-1)}},
		{name: "min above max", opts: []receiver.VideoOption{receiver.WithMinPlayoutDelay(time.Second), receiver.WithMaxPlayoutDelay(time.Millisecond)}},
		{name: "zero request interval", opts: []receiver.VideoOption{receiver.WithKeyFrameRequestInterval(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rx, err := receiver.NewVideo(epoch, tt.opts...)
			assert.ErrorContains(t, err, "new video receiver")
			assert.Nil(t, rx)
		})
	}
}

func TestPlayoutDelayBounds(t *testing.T) {
	jittery := rand.New(rand.NewPCG(9, 9))
	path := func(encoder.VideoInfo) []time.Duration {
		return []time.Duration{netDelay + time.Duration(jittery.IntN(300))*time.Millisecond}
	}
	tests := []struct {
		name string
		opts []receiver.VideoOption
		lo   time.Duration
		hi   time.Duration
	}{
		{name: "capped", opts: []receiver.VideoOption{receiver.WithMaxPlayoutDelay(120 * time.Millisecond)}, lo: 120 * time.Millisecond, hi: 120 * time.Millisecond},
		{name: "default cap", lo: 200 * time.Millisecond, hi: 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := videoCall{frames: 150, run: 5 * time.Second, path: path, opts: tt.opts}.simulate(t)
			assert.GreaterOrEqual(t, res.stats.PlayoutDelay, tt.lo)
			assert.LessOrEqual(t, res.stats.PlayoutDelay, tt.hi)
		})
	}
	floor := videoCall{frames: 30, run: 2 * time.Second, opts: []receiver.VideoOption{receiver.WithMinPlayoutDelay(150 * time.Millisecond)}}.simulate(t)
	assert.Equal(t, 150*time.Millisecond, floor.stats.PlayoutDelay)
	assert.Equal(t, netDelay+150*time.Millisecond, floor.stats.EndToEndDelay)
}

func BenchmarkVideoReceiver(b *testing.B) {
	rx, err := receiver.NewVideo(epoch)
	require.NoError(b, err)
	for i := 0; b.Loop(); i++ {
		capture := epoch.Add(time.Duration(i) * interval)
		for p := range 5 {
			info := encoder.VideoInfo{FrameNumber: uint32(i), KeyFrame: i%60 == 0, Index: p, Count: 5, Capture: capture}
			rx.Push(uint16(i*5+p), info, capture.Add(netDelay))
		}
		rx.Tick(capture.Add(netDelay))
	}
}
