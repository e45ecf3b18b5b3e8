package capture_test

import (
	"context"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/capture"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// loopbackPeer builds a PeerConnection on 127.0.0.1 whose registry holds the
// given factories in order (the first nearest the wire), then RTCP reports.
func loopbackPeer(tb testing.TB, factories ...interceptor.Factory) *webrtc.PeerConnection {
	tb.Helper()
	me := &webrtc.MediaEngine{}
	require.NoError(tb, me.RegisterDefaultCodecs())
	reg := &interceptor.Registry{}
	for _, f := range factories {
		reg.Add(f)
	}
	require.NoError(tb, webrtc.ConfigureRTCPReports(reg))
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	require.NoError(tb, err)
	return pc
}

// connect runs a non-trickle offer/answer and waits until both peers are
// connected.
func connect(tb testing.TB, offerer, answerer *webrtc.PeerConnection) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	connected := func(pc *webrtc.PeerConnection) <-chan struct{} {
		ch := make(chan struct{})
		var done bool
		pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
			if s == webrtc.PeerConnectionStateConnected && !done {
				done = true
				close(ch)
			}
		})
		return ch
	}
	a, b := connected(offerer), connected(answerer)
	offer, err := offerer.CreateOffer(nil)
	require.NoError(tb, err)
	gathered := webrtc.GatheringCompletePromise(offerer)
	require.NoError(tb, offerer.SetLocalDescription(offer))
	<-gathered
	require.NoError(tb, answerer.SetRemoteDescription(*offerer.LocalDescription()))
	answer, err := answerer.CreateAnswer(nil)
	require.NoError(tb, err)
	gathered = webrtc.GatheringCompletePromise(answerer)
	require.NoError(tb, answerer.SetLocalDescription(answer))
	<-gathered
	require.NoError(tb, offerer.SetRemoteDescription(*answerer.LocalDescription()))
	for _, ch := range []<-chan struct{}{a, b} {
		select {
		case <-ch:
		case <-ctx.Done():
			tb.Fatalf("peers did not connect: %v", ctx.Err())
		}
	}
}

// waitFor polls cond until it holds or the generous deadline passes.
func waitFor(tb testing.TB, deadline time.Duration, what string, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("timed out after %v waiting for %s", deadline, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLoopbackCallWithLoss runs a real Pion call: the media server sends
// 400 VP8 packets through a 10 % loss impairment; the server's capture (after
// the impairment) must see every packet sent, the client's capture the
// survivors, and both the analysis and tshark must find the loss.
func TestLoopbackCallWithLoss(t *testing.T) {
	const sent = 400
	imp, err := impair.NewInterceptor(impair.WithConfig(impair.Config{Loss: 0.10}),
		impair.WithRand(rand.New(rand.NewPCG(4, 2))))
	require.NoError(t, err)
	serverCap, err := capture.NewInterceptor(capture.WithPorts(capture.ServerPort, capture.ClientPort))
	require.NoError(t, err)
	clientCap, err := capture.NewInterceptor()
	require.NoError(t, err)

	server := loopbackPeer(t, imp, serverCap)
	client := loopbackPeer(t, clientCap)
	// Read loops report here when they end, which they do once their peer
	// is closed; started counts them, as OnTrack may never fire.
	done := make(chan struct{}, 2)
	var started atomic.Int32
	t.Cleanup(func() {
		assert.NoError(t, client.Close())
		assert.NoError(t, server.Close())
		for range started.Load() {
			<-done
		}
	})

	track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", "server")
	require.NoError(t, err)
	sender, err := server.AddTrack(track)
	require.NoError(t, err)
	started.Add(1)
	go func() {
		defer func() { done <- struct{}{} }()
		buf := make([]byte, 1500)
		for {
			if _, _, err := sender.Read(buf); err != nil { // drains RTCP
				return
			}
		}
	}()
	_, err = client.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo,
		webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly})
	require.NoError(t, err)
	client.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		started.Add(1)
		defer func() { done <- struct{}{} }()
		for {
			if _, _, err := tr.ReadRTP(); err != nil {
				return
			}
		}
	})
	connect(t, client, server)

	ssrc := uint32(sender.GetParameters().Encodings[0].SSRC)
	for k := range sent {
		pkt := &rtp.Packet{
			Header:  rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: uint16(1000 + k), Timestamp: uint32(k * 180), SSRC: ssrc},
			Payload: make([]byte, 200),
		}
		require.NoError(t, track.WriteRTP(pkt))
		time.Sleep(2 * time.Millisecond) // paced like a sender (180 ticks at 90 kHz), no burst
	}
	rtpIn := func() int {
		n := 0
		for _, p := range clientCap.Packets() {
			if p.Kind == capture.RTP {
				n++
			}
		}
		return n
	}
	waitFor(t, 30*time.Second, "every surviving packet at the client", func() bool {
		return rtpIn()+int(imp.Stats().RTPLost) >= sent
	})

	out := streamOf(t, capture.Analyze(serverCap.Packets()), capture.Sent, ssrc)
	assert.Equal(t, sent, out.Packets, "the server's capture sits before the impairment")
	assert.Zero(t, out.Lost)

	in := streamOf(t, sameAsTshark(t, clientCap.Packets()), capture.Received, ssrc)
	lost := int(imp.Stats().RTPLost)
	t.Logf("impairment dropped %d of %d; the client's analysis: %d lost of %d expected (%.1f %%), jitter mean %.2f ms",
		lost, sent, in.Lost, in.Expected, in.LostPercent, in.MeanJitterMs)
	assert.InDelta(t, 10, in.LostPercent, 5, "about 10 %% lost")
	// Losses before the first or after the last received packet are
	// invisible to any capture; more than ten in a row at 10 % is 1e-11.
	assert.LessOrEqual(t, in.Lost, lost)
	assert.GreaterOrEqual(t, in.Lost, lost-10)
	assert.Equal(t, in.Expected, in.Packets+in.Lost)
	assert.Zero(t, in.Duplicates)
}

func streamOf(tb testing.TB, streams []capture.StreamStats, dir capture.Direction, ssrc uint32) capture.StreamStats {
	tb.Helper()
	for _, s := range streams {
		if s.Direction == dir && s.SSRC == ssrc {
			return s
		}
	}
	tb.Fatalf("no %v stream with SSRC %#x in %+v", dir, ssrc, streams)
	return capture.StreamStats{}
}
