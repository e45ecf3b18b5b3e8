package receiver_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/receiver"
)

func TestConcurrentUse(t *testing.T) {
	video, err := receiver.NewVideo(epoch)
	require.NoError(t, err)
	audio := receiver.NewAudio(epoch)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 300 {
			at := epoch.Add(time.Duration(i) * interval)
			video.Push(uint16(i), encoder.VideoInfo{FrameNumber: uint32(i), KeyFrame: i%60 == 0, Count: 1, Capture: at}, at.Add(netDelay))
			audio.Push(uint16(i), encoder.AudioInfo{Capture: at}, at.Add(netDelay))
		}
	})
	wg.Go(func() {
		for i := range 300 {
			now := epoch.Add(time.Duration(i) * interval)
			video.Tick(now)
			audio.Tick(now)
			video.NeedKeyFrame(now)
			_, _ = video.Stats(), audio.Stats()
		}
	})
	wg.Wait()
	video.Tick(epoch.Add(20 * time.Second))
	s := video.Stats()
	assert.Equal(t, uint64(300), s.FramesRendered+s.FramesDropped, "every frame accounted for")
}
