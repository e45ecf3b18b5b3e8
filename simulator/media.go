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

// receiveMTU is the read buffer of every RTP and RTCP read loop: Pion's
// default receive MTU, so no datagram is cut short.
const receiveMTU = 1460

// wire is what the pump sends through in one tick: the current leg and its
// media-server end, when media can flow.
type wire struct {
	l   *leg
	end *serverEnd
}

// current returns the leg media flows on now; ok is false between legs and
// while a leg is still setting up or has failed, when an app sends nothing.
func (c *Call) current() (wire, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.cur
	if l == nil || l.end == nil || !l.end.ready.Load() || (l.state != StateConnected && l.state != StateDisconnected) {
		return wire{l: l}, false
	}
	return wire{l: l, end: l.end}, true
}

// pump is the call's media clock: every tick it runs step, which sends the
// media server's video and audio and the customer's audio, plays out what
// the receivers hold, asks for key frames and takes samples. It runs from
// New to Close across every leg, so the samples keep one time axis; between
// legs the encoders keep running and nothing is sent, as a camera keeps
// filming while the app reconnects. With a shared MediaClock the ticks come
// from the clock's goroutine instead, and pump only answers wake-ups.
func (c *Call) pump() {
	defer c.wg.Done()
	var tick <-chan time.Time
	if c.cfg.clock == nil {
		t := time.NewTicker(c.cfg.tick)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-tick:
		case <-c.wake:
		}
		c.step()
	}
}

// pumpState is what the media clock keeps between ticks; stepMu guards it.
type pumpState struct {
	stopped                          bool // Close has begun: steps do nothing
	s                                streams
	nextVideo, nextAudio, nextSample time.Time
	lastPLI                          time.Time
	wasLive                          bool
}

func (c *Call) initPump() {
	rng := newRand(c.cfg.seed, 3)
	c.ps = pumpState{
		s: streams{vseq: uint16(rng.Uint32()), aseq: uint16(rng.Uint32()), useq: uint16(rng.Uint32()),
			vts: rng.Uint32(), ats: rng.Uint32(), uts: rng.Uint32()},
		nextVideo: c.start, nextAudio: c.start, nextSample: c.start.Add(c.cfg.sampleInterval),
	}
}

// stopPump makes later steps do nothing and waits for one in progress.
func (c *Call) stopPump() {
	if c.cfg.clock != nil {
		c.cfg.clock.remove(c)
	}
	c.stepMu.Lock()
	c.ps.stopped = true
	c.stepMu.Unlock()
}

// step is one tick of the media clock: whatever is due by now.
func (c *Call) step() {
	c.stepMu.Lock()
	defer c.stepMu.Unlock()
	ps := &c.ps
	if ps.stopped {
		return
	}
	now := c.cfg.now()
	w, live := c.current()
	if live && !ps.wasLive {
		// A new connection: the encoder starts with a key frame at once,
		// as a real sender does when its transport comes up.
		c.video.RequestKeyFrame()
		ps.nextVideo = now
	}
	ps.wasLive = live
	if now.Sub(ps.nextVideo) > 200*time.Millisecond { // stalled (a loaded machine): skip, as a camera would
		ps.nextVideo = now
	}
	for !ps.nextVideo.After(now) {
		c.sendFrame(&ps.s, now, w, live)
		ps.nextVideo = ps.nextVideo.Add(c.video.FrameInterval())
	}
	if now.Sub(ps.nextAudio) > 200*time.Millisecond {
		ps.nextAudio = now
	}
	for !ps.nextAudio.After(now) {
		c.sendAudio(&ps.s, now, w, live)
		ps.nextAudio = ps.nextAudio.Add(encoder.AudioPacketInterval)
	}
	needKey := false
	if w.l != nil {
		c.mu.Lock()
		w.l.rxVideo.Tick(now)
		w.l.rxAudio.Tick(now)
		w.l.rxUplink.Tick(now)
		needKey = live && w.l.rxVideo.NeedKeyFrame(now)
		c.mu.Unlock()
	}
	if needKey && now.Sub(ps.lastPLI) >= 300*time.Millisecond {
		ps.lastPLI = now
		if err := w.l.client.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: w.end.videoSSRC}}); err == nil {
			c.mu.Lock()
			c.counters.plisSent++
			c.mu.Unlock()
		}
	}
	if !now.Before(ps.nextSample) {
		c.takeSample(now, w)
		ps.nextSample = ps.nextSample.Add(c.cfg.sampleInterval)
		if now.Sub(ps.nextSample) > c.cfg.sampleInterval {
			ps.nextSample = now.Add(c.cfg.sampleInterval)
		}
	}
}

// streams holds the RTP numbering of the call's three outgoing streams, and
// the pump's buffers: each packet is written before the next is built, and
// Pion's writers copy what they keep, so one set serves the whole call.
type streams struct {
	vseq, aseq, useq uint16
	vts, ats, uts    uint32

	pkt        rtp.Packet
	vpkts      []encoder.Packet
	vbuf       []byte
	abuf, ubuf []byte
}

// sendFrame encodes one video frame at the current target bitrate and sends
// its packets. The capture time is the real send time: a real encoder stamps
// frames as it takes them, so the RTP timestamps carry no scheduler jitter and
// RFC 3550 jitter measures the network alone.
func (c *Call) sendFrame(s *streams, now time.Time, w wire, live bool) {
	if live && c.cfg.congestionControl && w.end.peer.bwe != nil {
		c.video.SetTargetBitrate(int64(w.end.peer.bwe.GetTargetBitrate()))
	}
	f := c.video.NextFrame(now)
	ts := s.vts + uint32(now.Sub(c.start)*90000/time.Second)
	var sent int
	s.vpkts, s.vbuf = encoder.PacketizeInto(s.vpkts, s.vbuf, f, c.cfg.maxPayload)
	for _, p := range s.vpkts {
		s.pkt = rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: videoPT, SequenceNumber: s.vseq,
			Timestamp: ts, Marker: p.Marker}, Payload: p.Payload}
		s.vseq++
		if !live {
			continue
		}
		if err := w.end.videoTrack.WriteRTP(&s.pkt); err != nil {
			return
		}
		sent += len(p.Payload) + rtpHeaderSize
	}
	c.mu.Lock()
	c.counters.serverBytesOut += uint64(sent)
	c.mu.Unlock()
}

// sendAudio encodes one 20 ms frame each way and sends those the talkers'
// DTX does not hold back.
func (c *Call) sendAudio(s *streams, now time.Time, w wire, live bool) {
	off := uint32(now.Sub(c.start) * 48000 / time.Second)
	var downTrack, upTrack *webrtc.TrackLocalStaticRTP
	if live {
		downTrack, upTrack = w.end.audioTrack, w.l.upAudioTrack
	}
	sent := s.sendTalk(c.audio.NextFrameInto(s.abuf, now), &s.abuf, &s.aseq, s.ats+off, downTrack)
	upSent := s.sendTalk(c.upAudio.NextFrameInto(s.ubuf, now), &s.ubuf, &s.useq, s.uts+off, upTrack)
	if sent+upSent == 0 {
		return
	}
	c.mu.Lock()
	c.counters.serverBytesOut += uint64(sent)
	c.counters.clientBytesOut += uint64(upSent)
	c.mu.Unlock()
}

// sendTalk sends one talker's frame on track (nil while no connection is
// up) and returns the bytes sent. Sequence numbers count packets sent, so a
// DTX pause is a jump in RTP timestamps, not a gap in sequence numbers.
func (s *streams) sendTalk(f encoder.AudioFrame, buf *[]byte, seq *uint16, ts uint32, track *webrtc.TrackLocalStaticRTP) int {
	if f.Payload == nil {
		return 0
	}
	*buf = f.Payload
	n := *seq
	*seq++
	if track == nil {
		return 0
	}
	s.pkt = rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: audioPT, Marker: f.Marker,
		SequenceNumber: n, Timestamp: ts}, Payload: f.Payload}
	_ = track.WriteRTP(&s.pkt)
	return len(f.Payload) + rtpHeaderSize
}

// readTrack hands each packet a leg receives to that leg's receiver models.
// Pion calls OnTrack on its own goroutine; the read loops run on goroutines
// the call owns and end when the leg's PeerConnection closes.
func (c *Call) readTrack(l *leg, atClient bool, t *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
	c.spawn(func() {
		// Sender reports must be read for RTT; the interceptors parse them,
		// so a raw read into one reused buffer is enough here.
		buf := make([]byte, receiveMTU)
		for {
			if _, _, err := r.Read(buf); err != nil {
				return
			}
		}
	})
	video := t.Kind() == webrtc.RTPCodecTypeVideo
	if video && !atClient {
		return // the customer's camera is muted: nothing to count
	}
	c.spawn(func() {
		// One buffer and one packet per stream, reused: TrackRemote.ReadRTP
		// allocates both for every packet, and receive keeps neither.
		buf := make([]byte, receiveMTU)
		var pkt rtp.Packet
		for {
			n, _, err := t.Read(buf)
			if err != nil {
				return
			}
			if err := pkt.Unmarshal(buf[:n]); err != nil {
				continue
			}
			now := c.cfg.now()
			size := uint64(len(pkt.Payload) + rtpHeaderSize)
			c.mu.Lock()
			// A closed leg's figures are already in the call's totals.
			if !l.closed {
				c.receive(l, atClient, video, &pkt, size, now)
			}
			c.mu.Unlock()
		}
	})
}

// receive counts one packet and hands it to the leg's receiver model; the
// caller holds c.mu.
func (c *Call) receive(l *leg, atClient, video bool, pkt *rtp.Packet, size uint64, now time.Time) {
	switch {
	case atClient && video:
		c.counters.clientBytesIn += size
		l.seq[seqVideo].add(pkt.SequenceNumber)
		if info, err := encoder.ParseVideo(pkt.Payload); err == nil {
			l.rxVideo.Push(pkt.SequenceNumber, info, now)
		}
		if c.firstRTP == 0 {
			c.firstRTP = now.Sub(c.start)
			close(c.connected)
		}
	case atClient:
		c.counters.clientBytesIn += size
		l.seq[seqAudio].add(pkt.SequenceNumber)
		if info, err := encoder.ParseAudio(pkt.Payload); err == nil {
			l.rxAudio.Push(pkt.SequenceNumber, info, now)
		}
	default:
		l.seq[seqUplink].add(pkt.SequenceNumber)
		if info, err := encoder.ParseAudio(pkt.Payload); err == nil {
			l.rxUplink.Push(pkt.SequenceNumber, info, now)
		}
	}
}

// drainRTCP reads a sender's incoming RTCP: Pion's RTCP is pull-based, and
// unread, neither the stream's remote view (receiver reports, RTT, NACKs)
// nor congestion control (TWCC feedback arrives on whichever stream) ever
// sees it. On the media server's video sender it also answers PLI and FIR
// with a key frame.
func (c *Call) drainRTCP(s *webrtc.RTPSender, remote *remoteView, serverVideo bool) {
	c.spawn(func() {
		buf := make([]byte, receiveMTU)
		for {
			n, attrs, err := s.Read(buf)
			if err != nil {
				return
			}
			pkts, err := attrs.GetRTCPPackets(buf[:n])
			if err != nil {
				continue
			}
			remote.observe(pkts, time.Now()) // wall clock, as Pion's sender reports
			if !serverVideo {
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
