package browserfeed

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// deadline bounds every wait: connecting takes well under a second, but a
// loaded 2-core machine under -race is slow.
const deadline = 90 * time.Second

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// keyFrame is a VP8 key frame's size as a receiver decodes it from the
// frame header (RFC 6386, 9.1), and the RTP timestamp it came with.
type keyFrame struct {
	width, height int
	ts            uint32
}

// receiver stands in for the browser: a Pion peer that offers two recvonly
// transceivers, with Pion's default interceptors (NACK generator and
// receiver reports), and records what arrives.
type receiver struct {
	pc *webrtc.PeerConnection
	wg sync.WaitGroup

	mu           sync.Mutex
	videoPackets int
	audioPackets int
	frameStamps  []uint32 // RTP timestamp of each video frame start
	audioStamps  []uint32
	keyFrames    []keyFrame
}

// newReceiver offers to receive kinds, by default video and audio.
func newReceiver(tb testing.TB, kinds ...webrtc.RTPCodecType) *receiver {
	tb.Helper()
	if len(kinds) == 0 {
		kinds = []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio}
	}
	me := &webrtc.MediaEngine{}
	require.NoError(tb, me.RegisterDefaultCodecs())
	reg := &interceptor.Registry{}
	require.NoError(tb, webrtc.RegisterDefaultInterceptors(me, reg))
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(reg),
		webrtc.WithSettingEngine(iceSettings(nil)))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	require.NoError(tb, err)
	r := &receiver{pc: pc}
	tb.Cleanup(r.close)
	for _, k := range kinds {
		_, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly})
		require.NoError(tb, err)
	}
	pc.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		r.wg.Add(1)
		go r.read(t)
	})
	return r
}

func (r *receiver) close() {
	_ = r.pc.Close()
	r.wg.Wait()
}

func (r *receiver) read(t *webrtc.TrackRemote) {
	defer r.wg.Done()
	for {
		pkt, _, err := t.ReadRTP()
		if err != nil {
			return
		}
		r.mu.Lock()
		if t.Kind() == webrtc.RTPCodecTypeAudio {
			r.audioPackets++
			r.audioStamps = append(r.audioStamps, pkt.Timestamp)
			r.mu.Unlock()
			continue
		}
		r.videoPackets++
		var vp8 codecs.VP8Packet
		if _, err := vp8.Unmarshal(pkt.Payload); err == nil && vp8.S == 1 && vp8.PID == 0 && len(vp8.Payload) >= 10 {
			if n := len(r.frameStamps); n == 0 || r.frameStamps[n-1] != pkt.Timestamp {
				r.frameStamps = append(r.frameStamps, pkt.Timestamp)
			}
			if f := vp8.Payload; f[0]&1 == 0 && f[3] == 0x9d && f[4] == 0x01 && f[5] == 0x2a {
				r.keyFrames = append(r.keyFrames, keyFrame{
					width:  int(binary.LittleEndian.Uint16(f[6:8]) & 0x3fff),
					height: int(binary.LittleEndian.Uint16(f[8:10]) & 0x3fff),
					ts:     pkt.Timestamp,
				})
			}
		}
		r.mu.Unlock()
	}
}

// snapshot copies what arrived so far.
func (r *receiver) snapshot() receiver {
	r.mu.Lock()
	defer r.mu.Unlock()
	return receiver{videoPackets: r.videoPackets, audioPackets: r.audioPackets,
		frameStamps: append([]uint32(nil), r.frameStamps...), audioStamps: append([]uint32(nil), r.audioStamps...),
		keyFrames: append([]keyFrame(nil), r.keyFrames...)}
}

// connect runs the non-trickle exchange a browser's page does.
func connect(tb testing.TB, f *Feed, r *receiver) {
	tb.Helper()
	offer, err := r.pc.CreateOffer(nil)
	require.NoError(tb, err)
	gathered := webrtc.GatheringCompletePromise(r.pc)
	require.NoError(tb, r.pc.SetLocalDescription(offer))
	<-gathered
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	answer, err := f.Answer(ctx, r.pc.LocalDescription().SDP)
	require.NoError(tb, err)
	require.NoError(tb, r.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}))
}

// newFeed builds a feed closed at the end of the test.
func newFeed(tb testing.TB, opts ...Option) *Feed {
	tb.Helper()
	f, err := New(context.Background(), opts...)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		if err := f.Close(); err != nil && !errors.Is(err, ErrClosed) {
			tb.Errorf("close feed: %v", err)
		}
	})
	return f
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("timed out after %v waiting for %s", deadline, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
