package simulator

import "github.com/rtcdrill/rtcdrill/simulator/receiver"

// seqTotals are seqStats' counts, summable over the legs of a call: each
// leg is a new RTP stream with its own numbering.
type seqTotals struct{ expected, received, lost, bursts uint64 }

func (s seqStats) totals() seqTotals {
	return seqTotals{expected: s.expected(), received: s.received, lost: s.lost(), bursts: s.bursts}
}

func (t seqTotals) plus(o seqTotals) seqTotals {
	return seqTotals{expected: t.expected + o.expected, received: t.received + o.received,
		lost: t.lost + o.lost, bursts: t.bursts + o.bursts}
}

// pastLegs is what the closed legs of a call received, so that counters
// stay cumulative over a reconnection, as a dashboard that follows one call
// (not one PeerConnection) shows them.
type pastLegs struct {
	seq   [3]seqTotals
	video receiver.VideoStats
	audio receiver.AudioStats
}

// add folds a closing leg in; the caller holds c.mu.
func (p *pastLegs) add(l *leg) {
	for i := range p.seq {
		p.seq[i] = p.seq[i].plus(l.seq[i].totals())
	}
	p.video = sumVideo(p.video, l.rxVideo.Stats())
	p.audio = sumAudio(p.audio, l.rxAudio.Stats())
}

// sumVideo adds b's counters to a's; levels (size, delays) come from b.
func sumVideo(a, b receiver.VideoStats) receiver.VideoStats {
	b.FramesReceived += a.FramesReceived
	b.FramesDecoded += a.FramesDecoded
	b.FramesDropped += a.FramesDropped
	b.FramesRendered += a.FramesRendered
	b.FreezeCount += a.FreezeCount
	b.TotalFreezesDuration += a.TotalFreezesDuration
	b.KeyFramesDecoded += a.KeyFramesDecoded
	if a.FirstFrame > 0 {
		b.FirstFrame = a.FirstFrame
	}
	return b
}

// sumAudio adds b's counters to a's; levels come from b.
func sumAudio(a, b receiver.AudioStats) receiver.AudioStats {
	b.TotalSamplesReceived += a.TotalSamplesReceived
	b.ConcealedSamples += a.ConcealedSamples
	b.ConcealmentEvents += a.ConcealmentEvents
	b.RemovedSamplesForAcceleration += a.RemovedSamplesForAcceleration
	b.PacketsPlayed += a.PacketsPlayed
	b.PacketsLate += a.PacketsLate
	if a.FirstSample > 0 {
		b.FirstSample = a.FirstSample
	}
	return b
}

// received is the call's receive side so far: the closed legs plus the
// current one. The caller holds c.mu.
func (c *Call) received(l *leg) (seq [3]seqTotals, vs receiver.VideoStats, as receiver.AudioStats) {
	seq, vs, as = c.past.seq, c.past.video, c.past.audio
	if l == nil || l.closed {
		return seq, vs, as
	}
	for i := range seq {
		seq[i] = seq[i].plus(l.seq[i].totals())
	}
	return seq, sumVideo(vs, l.rxVideo.Stats()), sumAudio(as, l.rxAudio.Stats())
}
