package simulator

import (
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

// rtpHeaderSize is what an RTP header without extensions adds to a payload.
const rtpHeaderSize = 12

// pump is the call's media clock: one goroutine per call sends the media
// server's video and audio and the customer's audio, plays out what the
// receivers hold, asks for key frames and takes samples. One goroutine rather
// than one per stream keeps hundreds of calls cheap.
func (c *Call) pump() {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.tick)
	defer t.Stop()
	rng := newRand(c.cfg.seed, 3)
	s := streams{vseq: uint16(rng.Uint32()), aseq: uint16(rng.Uint32()), useq: uint16(rng.Uint32()),
		vts: rng.Uint32(), ats: rng.Uint32(), uts: rng.Uint32()}
	nextVideo, nextAudio := c.start, c.start
	nextSample := c.start.Add(c.cfg.sampleInterval)
	var lastPLI time.Time
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		now := c.cfg.now()
		if now.Sub(nextVideo) > 200*time.Millisecond { // stalled (a loaded machine): skip, as a camera would
			nextVideo = now
		}
		for !nextVideo.After(now) {
			c.sendFrame(&s, now)
			nextVideo = nextVideo.Add(c.video.FrameInterval())
		}
		if now.Sub(nextAudio) > 200*time.Millisecond {
			nextAudio = now
		}
		for !nextAudio.After(now) {
			c.sendAudio(&s, now)
			nextAudio = nextAudio.Add(encoder.AudioPacketInterval)
		}
		c.mu.Lock()
		c.rxVideo.Tick(now)
		c.rxAudio.Tick(now)
		c.rxUplink.Tick(now)
		needKey := c.rxVideo.NeedKeyFrame(now)
		c.mu.Unlock()
		if needKey && now.Sub(lastPLI) >= 300*time.Millisecond {
			lastPLI = now
			if err := c.client.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: c.videoSSRC}}); err == nil {
				c.mu.Lock()
				c.counters.plisSent++
				c.mu.Unlock()
			}
		}
		if !now.Before(nextSample) {
			c.takeSample(now)
			nextSample = nextSample.Add(c.cfg.sampleInterval)
			if now.Sub(nextSample) > c.cfg.sampleInterval {
				nextSample = now.Add(c.cfg.sampleInterval)
			}
		}
	}
}

// streams holds the RTP numbering of the call's three outgoing streams.
type streams struct {
	vseq, aseq, useq uint16
	vts, ats, uts    uint32
}

// sendFrame encodes one video frame at the current target bitrate and sends
// its packets. The capture time is the real send time: a real encoder stamps
// frames as it takes them, so the RTP timestamps carry no scheduler jitter and
// RFC 3550 jitter measures the network alone.
func (c *Call) sendFrame(s *streams, now time.Time) {
	if c.cfg.congestionControl && c.server.bwe != nil {
		c.video.SetTargetBitrate(int64(c.server.bwe.GetTargetBitrate()))
	}
	f := c.video.NextFrame(now)
	ts := s.vts + uint32(now.Sub(c.start)*90000/time.Second)
	var sent int
	for _, p := range encoder.Packetize(f, c.cfg.maxPayload) {
		pkt := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: videoPT, SequenceNumber: s.vseq,
			Timestamp: ts, Marker: p.Marker}, Payload: p.Payload}
		s.vseq++
		if err := c.videoTrack.WriteRTP(pkt); err != nil {
			return
		}
		sent += len(p.Payload) + rtpHeaderSize
	}
	c.mu.Lock()
	c.counters.serverBytesOut += uint64(sent)
	c.mu.Unlock()
}

// sendAudio sends one 20 ms Opus-sized packet each way.
func (c *Call) sendAudio(s *streams, now time.Time) {
	off := uint32(now.Sub(c.start) * 48000 / time.Second)
	down := c.audio.NextPacket(now)
	up := c.upAudio.NextPacket(now)
	_ = c.audioTrack.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: audioPT,
		SequenceNumber: s.aseq, Timestamp: s.ats + off}, Payload: down})
	_ = c.upAudioTrack.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: audioPT,
		SequenceNumber: s.useq, Timestamp: s.uts + off}, Payload: up})
	s.aseq++
	s.useq++
	c.mu.Lock()
	c.counters.serverBytesOut += uint64(len(down) + rtpHeaderSize)
	c.counters.clientBytesOut += uint64(len(up) + rtpHeaderSize)
	c.mu.Unlock()
}

// readTrack hands each received packet to the right receiver model. Pion
// calls OnTrack on its own goroutine; the read loop runs on one the call owns.
func (c *Call) readTrack(p *peer, t *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
	c.spawn(func() {
		for {
			if _, _, err := r.ReadRTCP(); err != nil { // sender reports: needed for RTT
				return
			}
		}
	})
	isClient := p == c.client
	video := t.Kind() == webrtc.RTPCodecTypeVideo
	c.spawn(func() {
		for {
			pkt, _, err := t.ReadRTP()
			if err != nil {
				return
			}
			now := c.cfg.now()
			size := uint64(len(pkt.Payload) + rtpHeaderSize)
			switch {
			case isClient && video:
				info, err := encoder.ParseVideo(pkt.Payload)
				c.mu.Lock()
				c.counters.clientBytesIn += size
				c.counters.video.add(pkt.SequenceNumber)
				if err == nil {
					c.rxVideo.Push(pkt.SequenceNumber, info, now)
				}
				if c.firstRTP == 0 {
					c.firstRTP = now.Sub(c.start)
					close(c.connected)
				}
				c.mu.Unlock()
			case isClient:
				info, err := encoder.ParseAudio(pkt.Payload)
				c.mu.Lock()
				c.counters.clientBytesIn += size
				c.counters.audio.add(pkt.SequenceNumber)
				if err == nil {
					c.rxAudio.Push(pkt.SequenceNumber, info, now)
				}
				c.mu.Unlock()
			default:
				info, err := encoder.ParseAudio(pkt.Payload)
				c.mu.Lock()
				c.counters.uplink.add(pkt.SequenceNumber)
				if err == nil {
					c.rxUplink.Push(pkt.SequenceNumber, info, now)
				}
				c.mu.Unlock()
			}
		}
	})
}

// drainRTCP reads a sender's incoming RTCP: Pion's RTCP is pull-based, and
// unread, neither the stats interceptor (RTT) nor congestion control (TWCC
// feedback arrives on whichever stream) ever sees it. On the media server's
// video sender it also answers PLI and FIR with a key frame.
func (c *Call) drainRTCP(p *peer, s *webrtc.RTPSender) {
	isVideo := p == c.server && s.Track() != nil && s.Track().Kind() == webrtc.RTPCodecTypeVideo
	c.spawn(func() {
		for {
			pkts, _, err := s.ReadRTCP()
			if err != nil {
				return
			}
			if !isVideo {
				continue
			}
			for _, pkt := range pkts {
				switch pkt.(type) {
				case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
					c.video.RequestKeyFrame()
				}
			}
		}
	})
}
