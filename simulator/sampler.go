package simulator

import (
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/emodel"
)

// counters are the call's running totals across its legs; the sampler turns
// their deltas into per-second figures.
type counters struct {
	clientBytesIn, clientBytesOut, serverBytesOut uint64
	plisSent                                      uint64
}

// seqStats counts one received RTP stream by sequence number, the way RFC
// 3550 counts: expected = highest - first + 1, lost = expected - received.
// Gaps are also counted as loss bursts, for the E-model's burst ratio.
type seqStats struct {
	started  bool
	first    int64
	highest  int64
	received uint64
	bursts   uint64 // runs of consecutive lost packets
}

func (s *seqStats) add(seq uint16) {
	if !s.started {
		s.started, s.first, s.highest = true, int64(seq), int64(seq)
		s.received++
		return
	}
	// Unwrap against the highest seen: the 16-bit number nearest to it.
	cur := s.highest + int64(int16(seq-uint16(s.highest)))
	if cur > s.highest {
		if cur > s.highest+1 {
			s.bursts++
		}
		s.highest = cur
	}
	s.received++
}

func (s seqStats) expected() uint64 {
	if !s.started {
		return 0
	}
	return uint64(s.highest - s.first + 1)
}

// Lost is expected minus received, never negative (duplicates can push
// received above expected).
func (s seqStats) lost() uint64 {
	e := s.expected()
	if s.received >= e {
		return 0
	}
	return e - s.received
}

// sampleState is what the previous sample saw, for per-interval deltas.
type sampleState struct {
	at                                           time.Time
	bytesIn, bytesOut, serverOut, framesRendered uint64
	audio                                        seqTotals
	lastRTT                                      float64
	leg                                          int
}

// takeSample builds one Sample from the receivers, the counters and the
// media server's RTCP view, and hands it to the series and the subscribers.
// w is the leg the pump sent on; without a live leg the RTCP figures are
// empty and the customer hears nothing.
func (c *Call) takeSample(now time.Time, w wire) {
	s := Sample{Offset: now.Sub(c.start)}
	s.Timestamp = s.Offset.Seconds()
	live := w.end != nil
	if w.l == nil || w.l.id != c.prev.leg {
		c.prev.lastRTT = 0 // a new connection has no RTT until its first report
	}
	if live {
		video := w.end.videoRemote.snapshot()
		if video.RTT > 0 {
			c.prev.lastRTT = video.RTT.Seconds()
		}
		s.VideoFractionLost, s.VideoJitter, s.NackCount = video.FractionLost, video.Jitter, video.NACKs
		audio := w.end.audioRemote.snapshot()
		s.PacketsLost, s.FractionLost, s.Jitter = audio.PacketsLost, audio.FractionLost, audio.Jitter
		up := w.l.upRemote.snapshot()
		s.UplinkFractionLost, s.UplinkJitter = up.FractionLost, up.Jitter
	}
	s.RoundTripTime = c.prev.lastRTT
	s.TargetBitrate = float64(c.video.TargetBitrate())

	c.mu.Lock()
	seq, vs, as := c.received(w.l)
	cnt := c.counters
	c.mu.Unlock()

	dt := now.Sub(c.prev.at).Seconds()
	if c.prev.at.IsZero() {
		dt = now.Sub(c.start).Seconds()
	}
	if dt <= 0 {
		dt = c.cfg.sampleInterval.Seconds()
	}
	s.BitrateIn = float64(cnt.clientBytesIn-c.prev.bytesIn) * 8 / dt
	s.BitrateOut = float64(cnt.clientBytesOut-c.prev.bytesOut) * 8 / dt
	s.SendBitrate = float64(cnt.serverBytesOut-c.prev.serverOut) * 8 / dt
	s.FramesPerSecond = float64(vs.FramesRendered-c.prev.framesRendered) / dt
	s.PacketsReceived = seq[seqVideo].received
	s.FrameWidth, s.FrameHeight = vs.FrameWidth, vs.FrameHeight
	s.FramesDropped = vs.FramesDropped
	s.FreezeCount = vs.FreezeCount
	s.TotalFreezesDuration = vs.TotalFreezesDuration.Seconds()
	s.PliCount = cnt.plisSent
	s.ConcealedSamples = as.ConcealedSamples
	s.ConcealmentEvents = as.ConcealmentEvents
	s.TotalSamples = as.TotalSamplesReceived
	s.EndToEndDelay = vs.EndToEndDelay.Seconds()
	s.AudioDelay = as.EndToEndDelay.Seconds()
	s.FirstFrameTime = vs.FirstFrame.Seconds()
	if live {
		s.AudioLoss, s.MOS = audioQuality(c.prev.audio, seq[seqAudio], as.EndToEndDelay)
	} else {
		// No connection: the customer hears nothing at all, the E-model's floor.
		s.AudioLoss, s.MOS = 1, 1
	}

	legID := 0
	if w.l != nil {
		legID = w.l.id
	}
	c.prev = sampleState{at: now, bytesIn: cnt.clientBytesIn, bytesOut: cnt.clientBytesOut,
		serverOut: cnt.serverBytesOut, framesRendered: vs.FramesRendered, audio: seq[seqAudio],
		lastRTT: c.prev.lastRTT, leg: legID}
	c.publish(s)
}

// audioQuality returns the audio loss of the interval between two counts and
// the E-model MOS for it. The burst ratio is measured, not configured: with
// p = P(loss | received) ~ bursts / received and r = P(received | loss) ~
// bursts / lost, BurstR = 1 / (p + r) (G.107 for a two-state model).
func audioQuality(prev, cur seqTotals, delay time.Duration) (loss, mos float64) {
	expected := cur.expected - prev.expected
	received := cur.received - prev.received
	bursts := cur.bursts - prev.bursts
	var lost uint64
	if expected > received {
		lost = expected - received
	}
	burstR := 1.0
	if expected > 0 {
		loss = float64(lost) / float64(expected)
	}
	if lost > 0 && received > 0 && bursts > 0 {
		p := float64(bursts) / float64(received)
		r := float64(bursts) / float64(lost)
		burstR = emodel.BurstR(p, r)
	}
	if delay <= 0 {
		delay = 20 * time.Millisecond
	}
	return loss, emodel.Estimate(delay, loss*100, burstR, emodel.Opus())
}

// publish records a sample and offers it to every subscriber. A subscriber
// that does not keep up misses samples rather than stalling the call.
func (c *Call) publish(s Sample) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.series = append(c.series, s)
	for _, ch := range c.subs {
		select {
		case ch <- s:
		default:
		}
	}
}

// Subscribe returns a channel that receives each sample as it is taken, and
// a function that cancels the subscription. The channel is closed by cancel
// or when the call closes.
func (c *Call) Subscribe() (<-chan Sample, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan Sample, 64)
	if c.closed {
		close(ch)
		return ch, func() {}
	}
	id := c.nextSub
	c.nextSub++
	c.subs[id] = ch
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if sub, ok := c.subs[id]; ok {
			close(sub)
			delete(c.subs, id)
		}
	}
}

// Series returns a copy of every sample taken so far.
func (c *Call) Series() []Sample {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Sample(nil), c.series...)
}

// Measured is what the customer's side counted over the whole call, for the
// configured-versus-measured summary.
type Measured struct {
	VideoPackets, VideoLost uint64
	// VideoLossBursts counts runs of consecutive lost video packets.
	VideoLossBursts           uint64
	AudioPackets, AudioLost   uint64
	UplinkPackets, UplinkLost uint64
}

// Measured returns the call's receive-side totals so far, over every leg.
func (c *Call) Measured() Measured {
	c.mu.Lock()
	defer c.mu.Unlock()
	seq, _, _ := c.received(c.cur)
	v, a, u := seq[seqVideo], seq[seqAudio], seq[seqUplink]
	return Measured{VideoPackets: v.expected, VideoLost: v.lost, VideoLossBursts: v.bursts,
		AudioPackets: a.expected, AudioLost: a.lost, UplinkPackets: u.expected, UplinkLost: u.lost}
}
