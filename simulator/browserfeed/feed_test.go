package browserfeed

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

func seeded(seed uint64) Option { return WithRand(rand.New(rand.NewPCG(seed, 7))) }

// TestFeedSendsClips connects a Pion receiver and checks the media: the
// starting rendition's key frames, a switch to 360p at a key frame on the
// same track, and RTP timestamps that advance by one frame time (video) and
// one packet time (audio) however the clip is switched or looped.
func TestFeedSendsClips(t *testing.T) {
	f := newFeed(t, seeded(1), WithLanguage(LanguageZH))
	r := newReceiver(t)
	connect(t, f, r)

	waitFor(t, "a 720p key frame and a second of audio", func() bool {
		s := r.snapshot()
		return len(s.keyFrames) > 0 && s.audioPackets >= 50
	})
	first := r.snapshot().keyFrames[0]
	assert.Equal(t, keyFrame{1280, 720, first.ts}, first)
	assert.Equal(t, "720p", f.Rendition())

	require.NoError(t, f.SetRendition(Rendition360p))
	waitFor(t, "a 360p key frame", func() bool {
		for _, k := range r.snapshot().keyFrames {
			if k.width == 640 {
				return true
			}
		}
		return false
	})
	waitFor(t, "another second of video", func() bool { return len(r.snapshot().keyFrames) >= 3 })
	got := r.snapshot()
	var switched bool
	for _, k := range got.keyFrames {
		if k.width == 640 {
			switched = true
			assert.Equal(t, 360, k.height)
		} else {
			assert.False(t, switched, "no 720p key frame after the switch")
		}
	}
	// Pion rounds 1/30 s to whole ticks and carries the remainder, so a
	// step may be one tick short; the sum keeps time. A frame lost on
	// loopback would show as a double step.
	for i := 1; i < len(got.frameStamps); i++ {
		assert.InDelta(t, 3000, got.frameStamps[i]-got.frameStamps[i-1], 1, "video frame %d", i)
	}
	n := len(got.frameStamps)
	assert.InDelta(t, 3000*(n-1), got.frameStamps[n-1]-got.frameStamps[0], 1)
	for i := 1; i < len(got.audioStamps); i++ {
		assert.Equal(t, uint32(960), got.audioStamps[i]-got.audioStamps[i-1], "audio packet %d", i)
	}

	// The feed counts a frame once its write returned, which can be after
	// the receiver has it.
	waitFor(t, "the feed to count three key frames", func() bool { return f.Stats().KeyFrames >= 3 })
	st := f.Stats()
	assert.Equal(t, "connected", st.State)
	assert.Equal(t, "360p", st.Rendition)
	assert.Equal(t, 640, st.Width)
	assert.Equal(t, uint64(1), st.Switches)
	assert.Positive(t, st.AudioPackets)
	assert.Zero(t, st.WriteErrors)
	assert.Zero(t, st.Impairment.RTPLost)

	require.NoError(t, f.SetRendition(Rendition1080p))
	require.NoError(t, f.SetRendition(Rendition360p), "asking for the current one cancels the switch")
	assert.ErrorIs(t, f.SetRendition("4k"), ErrUnknown)
}

// TestFeedImpairment checks that the impairment sits nearest the wire, as
// in the engine: loss set live reaches the receiver, whose NACKs reach the
// feed, and the retransmissions are impaired too (RTPPackets counts them).
func TestFeedImpairment(t *testing.T) {
	f := newFeed(t, seeded(2), WithRendition(Rendition360p))
	r := newReceiver(t)
	connect(t, f, r)
	waitFor(t, "video", func() bool { return r.snapshot().videoPackets > 20 })

	lossy := impair.Config{Loss: 0.2}
	require.NoError(t, f.SetImpairment(lossy))
	assert.Equal(t, lossy, f.Impairment())
	before := f.Stats().Impairment
	waitFor(t, "1000 impaired packets", func() bool { return f.Stats().Impairment.RTPPackets-before.RTPPackets >= 1000 })
	waitFor(t, "NACKs", func() bool { return f.Stats().Nacked > 0 })
	after := f.Stats()
	sent := after.Impairment.RTPPackets - before.RTPPackets
	lost := after.Impairment.RTPLost - before.RTPLost
	// Binomial with n >= 1000, p = 0.2: sigma <= 1.3 points; 5 sigma.
	assert.InDelta(t, 0.2, float64(lost)/float64(sent), 0.065, "lost %d of %d", lost, sent)
	assert.Positive(t, after.Video.Reports, "the receiver's reports are read")

	require.NoError(t, f.SetImpairment(impair.Config{}))
	assert.True(t, f.Impairment().IsZero())
	assert.ErrorIs(t, f.SetImpairment(impair.Config{Loss: 2}), impair.ErrInvalidConfig)
}

// TestFeedEnds checks the ways a feed ends: the browser leaving, the
// context, and Close, which is idempotent and leaves no goroutine.
func TestFeedEnds(t *testing.T) {
	t.Run("browser leaves", func(t *testing.T) {
		f := newFeed(t, seeded(3))
		r := newReceiver(t)
		connect(t, f, r)
		waitFor(t, "video", func() bool { return r.snapshot().videoPackets > 0 })
		r.close()
		select {
		case <-f.Done():
		case <-time.After(deadline):
			t.Fatal("the feed did not notice the browser leaving")
		}
		assert.NoError(t, f.Close())
	})
	t.Run("context ends", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		f, err := New(ctx, seeded(4))
		require.NoError(t, err)
		r := newReceiver(t)
		connect(t, f, r)
		cancel()
		select {
		case <-f.Done():
		case <-time.After(deadline):
			t.Fatal("the feed outlived its context")
		}
		assert.NoError(t, f.Close())
	})
	t.Run("close twice, before answering", func(t *testing.T) {
		f, err := New(context.Background())
		require.NoError(t, err)
		assert.NoError(t, f.Close())
		assert.NoError(t, f.Close())
		_, err = f.Answer(context.Background(), "v=0")
		assert.ErrorIs(t, err, ErrClosed)
		assert.ErrorIs(t, f.SetRendition(Rendition360p), ErrClosed)
	})
}

func TestAnswerRefusals(t *testing.T) {
	audioOnly := func(tb testing.TB) string {
		r := newReceiver(tb, webrtc.RTPCodecTypeAudio) // a page that only listens
		offer, err := r.pc.CreateOffer(nil)
		require.NoError(tb, err)
		return offer.SDP
	}
	tests := []struct {
		name  string
		offer func(testing.TB) string
		want  string
	}{
		{"not SDP", func(testing.TB) string { return "hello" }, "set offer"},
		{"no video", audioOnly, "does not receive video"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFeed(t)
			_, err := f.Answer(context.Background(), tt.offer(t))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	t.Run("answers once", func(t *testing.T) {
		f := newFeed(t)
		r := newReceiver(t)
		connect(t, f, r)
		_, err := f.Answer(context.Background(), r.pc.LocalDescription().SDP)
		assert.ErrorContains(t, err, "answered already")
	})
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
	}{
		{"unknown rendition", WithRendition("4k")},
		{"unknown language", WithLanguage("fr")},
		{"invalid impairment", WithImpairment(impair.Config{Loss: -1})},
		{"nil rand", WithRand(nil)},
		{"nil clock", WithClock(nil)},
		{"nil logger", WithLogger(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.opt)
			assert.Error(t, err)
		})
	}
}

// TestVideoLoopAndSwitchPoints drives the pump's frame step directly (the
// track is not bound, so nothing is sent): the clip loops, and a switch
// asked for mid-second waits for the new rendition's next key frame.
func TestVideoLoopAndSwitchPoints(t *testing.T) {
	f := newFeed(t)
	clip := f.current
	var i int
	for range len(clip.frames) + 5 {
		f.sendVideo(&i)
	}
	assert.Equal(t, 5, i, "the index wrapped")
	st := f.Stats()
	assert.Equal(t, uint64(1), st.VideoLoops)
	assert.Equal(t, uint64(len(clip.frames)+5), st.VideoFrames)

	require.NoError(t, f.SetRendition(Rendition360p))
	for ; i%30 != 0; f.sendVideo(&i) {
		assert.Equal(t, Rendition720p, f.Rendition(), "frame %d is no key frame", i)
	}
	f.sendVideo(&i)
	assert.Equal(t, Rendition360p, f.Rendition(), "switched at frame %d", i-1)
	assert.Equal(t, uint64(1), f.Stats().Switches)
}
