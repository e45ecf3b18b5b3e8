package receiver

import (
	"sort"
	"sync"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

const (
	audioSlot          = encoder.AudioPacketInterval
	audioSamples       = encoder.AudioSamplesPerPacket
	audioBaseDelay     = 2 * audioSlot // first playout instant after the first arrival
	audioMaxDelay      = 500 * time.Millisecond
	audioGap           = 4 * audioSlot // a capture this far ahead of the timeline is a gap, not jitter
	accelerateMargin   = 2 * audioSlot // buffered beyond target before speeding up
	accelerateEvery    = 4             // at most one extra packet per this many instants
	playedHistorySlots = 512           // how far back duplicates are told from late packets
)

// AudioStats are the receiver's audio figures, named and defined as in
// webrtc-stats' RTCInboundRtpStreamStats.
type AudioStats struct {
	// TotalSamplesReceived counts every sample played out, concealed ones
	// included (webrtc-stats' definition), so ConcealedSamples /
	// TotalSamplesReceived is the share of the call that was concealed.
	TotalSamplesReceived uint64
	ConcealedSamples     uint64
	ConcealmentEvents    uint64
	// RemovedSamplesForAcceleration counts samples skipped to cut latency
	// built up by a stall.
	RemovedSamplesForAcceleration uint64
	PacketsPlayed                 uint64
	// PacketsLate counts packets that arrived after their slot was
	// concealed.
	PacketsLate uint64
	// EndToEndDelay is playout time minus capture time of the last packet
	// played.
	EndToEndDelay time.Duration
	// PlayoutDelay is the current target delay.
	PlayoutDelay time.Duration
	// FirstSample is the time from call start to the first packet played;
	// 0 until then.
	FirstSample time.Duration
}

// Audio is the audio half of the customer's app: a jitter buffer with
// packet-loss concealment in the manner of NetEq.
type Audio struct {
	start time.Time

	mu   sync.Mutex
	seqs seqUnwrapper
	// packets are the buffered packets in ascending sequence order, all at
	// or after next, from index head on: a slice rather than a map because
	// playout scans the whole buffer every 20 ms, and packets arrive almost
	// always in order, so they append.
	packets []audioPacket
	head    int
	seen    bool
	playing bool
	next    int64 // sequence number to play next
	instant time.Time
	handled [playedHistorySlots]int64 // seq+1 of packets recently played or counted late

	concealing bool
	// cng is set while a DTX pause plays as comfort noise; pos is the
	// capture time the current slot plays, which keeps advancing through
	// the pause so that the talkspurt after it keeps the delay from before.
	cng         bool
	pos         time.Time
	accelWait   int
	transitSeen bool
	lastTransit time.Duration
	jitter      time.Duration
	stats       AudioStats
}

type audioPacket struct {
	seq     int64
	capture time.Time
	arrival time.Time
	dtx     bool
}

// NewAudio returns an audio receiver for a call that started at start.
func NewAudio(start time.Time) *Audio {
	return &Audio{start: start}
}

// buffer is the buffered packets, in sequence order.
func (a *Audio) buffer() []audioPacket { return a.packets[a.head:] }

// find returns the index in buffer() where packet s is or would go, and
// whether it is there.
func (a *Audio) find(s int64) (int, bool) {
	b := a.buffer()
	if n := len(b); n == 0 || b[n-1].seq < s {
		return n, false // the usual case: the newest packet
	}
	k := sort.Search(len(b), func(k int) bool { return b[k].seq >= s })
	return k, k < len(b) && b[k].seq == s
}

// insert buffers p at k, the index in buffer() that find gave for p.seq.
func (a *Audio) insert(k int, p audioPacket) {
	k += a.head
	a.packets = append(a.packets, audioPacket{})
	copy(a.packets[k+1:], a.packets[k:])
	a.packets[k] = p
}

// front returns the buffered packet next, if it is buffered.
func (a *Audio) front() (audioPacket, bool) {
	if b := a.buffer(); len(b) > 0 && b[0].seq == a.next {
		return b[0], true
	}
	return audioPacket{}, false
}

// dropFront forgets the first buffered packet, reusing the slice's space
// once half of it lies before head.
func (a *Audio) dropFront() {
	a.packets[a.head] = audioPacket{}
	a.head++
	if a.head == len(a.packets) {
		a.packets, a.head = a.packets[:0], 0
	} else if a.head >= 64 && a.head*2 >= len(a.packets) {
		n := copy(a.packets, a.packets[a.head:])
		a.packets, a.head = a.packets[:n], 0
	}
}

// Push hands the receiver one packet that arrived at arrival.
func (a *Audio) Push(seq uint16, info encoder.AudioInfo, arrival time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.seqs.unwrap(seq)
	at, dup := a.find(s)
	if dup || a.wasHandled(s) {
		return
	}
	// Late packets count towards the jitter too: they are the evidence
	// that the buffer is too short.
	t := arrival.Sub(info.Capture)
	if a.transitSeen {
		a.jitter += ((t - a.lastTransit).Abs() - a.jitter) / jitterGain
	}
	a.transitSeen, a.lastTransit = true, t

	if a.playing && s < a.next {
		a.stats.PacketsLate++
		a.markHandled(s)
		return
	}
	a.insert(at, audioPacket{seq: s, capture: info.Capture, arrival: arrival, dtx: info.DTX})
	if !a.seen {
		a.seen, a.next, a.instant = true, s, arrival.Add(audioBaseDelay)
	} else if !a.playing && s < a.next {
		a.next = s
	}
}

// Tick plays out every 20 ms slot whose instant has come by now.
func (a *Audio) Tick(now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for a.seen && !a.instant.After(now) {
		a.playInstant(a.instant)
		a.instant = a.instant.Add(audioSlot)
	}
}

func (a *Audio) playInstant(t time.Time) {
	a.playing = true
	a.stats.TotalSamplesReceived += audioSamples
	a.accelWait = max(0, a.accelWait-1)
	a.pos = a.pos.Add(audioSlot)
	if a.cng {
		a.comfortNoise(t)
		return
	}
	if p, ok := a.front(); ok && !p.arrival.After(t) && a.due(p) {
		a.play(p, t)
		if !a.cng && a.buffered(t) > a.target()+accelerateMargin && a.accelWait == 0 {
			if p, ok := a.front(); ok && !p.arrival.After(t) {
				a.play(p, t)
				a.stats.RemovedSamplesForAcceleration += audioSamples
				a.accelWait = accelerateEvery
			}
		}
		a.concealing = false
		return
	}

	a.stats.ConcealedSamples += audioSamples
	if !a.concealing {
		a.stats.ConcealmentEvents++
	}
	a.concealing = true
	if p, ok := a.front(); ok && !p.arrival.After(t) {
		return // here, but its place on the timeline is still to come
	}
	if a.laterArrived(t) {
		// The next packet is lost (or later than the buffer allows): its
		// slot has been concealed, and it will be late if it comes.
		if _, ok := a.front(); ok {
			a.dropFront()
			a.stats.PacketsLate++
			a.markHandled(a.next)
		}
		a.next++
	}
}

// comfortNoise plays one slot of a DTX pause, as NetEq's comfort noise
// does: nothing is missing, so nothing is concealed. The next packet plays
// once it is here and the timeline has reached its capture time, so the
// delay before the pause holds after it (NetEq aligns on RTP timestamps).
// Packets missing before it were the lost start of a talkspurt, which a
// receiver in silence cannot tell from silence; they count as lost, and late
// if they come.
func (a *Audio) comfortNoise(t time.Time) {
	b := a.buffer()
	if len(b) == 0 {
		return
	}
	p := b[0]
	if p.arrival.After(t) || !a.due(p) {
		return
	}
	a.next = p.seq
	a.play(p, t)
}

// due reports whether packet p's place on the timeline has come: the
// slot whose timeline position is less than a slot before p's capture (a
// sender stamps captures when it sends, a few ms late at times). In
// comfort noise, and while concealing, a packet waits for that place. In a
// talkspurt only a packet more than audioGap ahead waits: it follows a pause
// whose DTX frame was lost, or frames a stalled sender skipped; nearer ones
// play at once, so the sender's scheduling never adds concealment.
func (a *Audio) due(p audioPacket) bool {
	if a.stats.PacketsPlayed == 0 {
		return true
	}
	ahead := p.capture.Sub(a.pos)
	if a.cng || a.concealing {
		return ahead < audioSlot
	}
	// A packet too far ahead is not due: its slot is concealed, and from
	// then on, concealing, it waits for its place.
	return ahead <= audioGap
}

func (a *Audio) play(p audioPacket, t time.Time) {
	if a.stats.PacketsPlayed == 0 {
		a.stats.FirstSample = max(t.Sub(a.start), 1)
	}
	a.stats.PacketsPlayed++
	a.stats.EndToEndDelay = t.Sub(p.capture)
	a.pos, a.cng = p.capture, p.dtx
	a.markHandled(a.next)
	a.dropFront()
	a.next++
}

// markHandled remembers that packet s was played or counted late, so that a
// copy arriving later is a duplicate, not another late packet.
func (a *Audio) markHandled(s int64) {
	a.handled[s%playedHistorySlots] = s + 1
}

func (a *Audio) wasHandled(s int64) bool {
	return s >= 0 && a.handled[s%playedHistorySlots] == s+1
}

// buffered returns the audio waiting at t after the packet just played.
func (a *Audio) buffered(t time.Time) time.Duration {
	n := 0
	for _, p := range a.buffer() {
		if p.seq >= a.next && !p.arrival.After(t) {
			n++
		}
	}
	return time.Duration(n) * audioSlot
}

func (a *Audio) laterArrived(t time.Time) bool {
	for _, p := range a.buffer() {
		if p.seq > a.next && !p.arrival.After(t) {
			return true
		}
	}
	return false
}

func (a *Audio) target() time.Duration {
	return min(audioBaseDelay+jitterMultiple*a.jitter, audioMaxDelay)
}

// Stats returns the figures so far.
func (a *Audio) Stats() AudioStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.stats
	s.PlayoutDelay = a.target()
	return s
}

// seqUnwrapper extends 16-bit RTP sequence numbers to a counter that does not
// wrap, relative to the highest number seen.
type seqUnwrapper struct {
	highest int64
	init    bool
}

func (u *seqUnwrapper) unwrap(s uint16) int64 {
	if !u.init {
		u.init, u.highest = true, int64(s)+1<<16 // room below for reordering
		return u.highest
	}
	v := u.highest + int64(int16(s-uint16(u.highest)))
	u.highest = max(u.highest, v)
	return v
}
