package receiver_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/receiver"
)

var epoch = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

const (
	netDelay = 40 * time.Millisecond
	tick     = 5 * time.Millisecond
	interval = time.Second / 30
)

// videoPath decides what the network does to one packet: the delays after
// capture at which copies of it arrive. None means lost; two mean a duplicate
// or a retransmission.
type videoPath func(info encoder.VideoInfo) []time.Duration

func steady(encoder.VideoInfo) []time.Duration { return []time.Duration{netDelay} }

type videoCall struct {
	start     time.Time     // call start
	firstShot time.Time     // first capture
	frames    int           // how many frames the camera takes
	run       time.Duration // how long the simulation runs from start
	path      videoPath
	pli       bool // answer NeedKeyFrame with a key frame
	opts      []receiver.VideoOption
}

type videoResult struct {
	stats       receiver.VideoStats
	perSecond   []receiver.VideoStats // snapshots at start + 1 s, 2 s, ...
	keyRequests []time.Time
}

type arrival struct {
	at   time.Time
	seq  uint16
	info encoder.VideoInfo
}

// simulate plays a call in simulated time: the encoder captures at its frame
// rate, packets cross the path, the receiver is ticked every 5 ms.
func (c videoCall) simulate(tb testing.TB) videoResult {
	tb.Helper()
	if c.start.IsZero() {
		c.start = epoch
	}
	if c.firstShot.IsZero() {
		c.firstShot = c.start
	}
	if c.path == nil {
		c.path = steady
	}
	enc, err := encoder.NewVideo(encoder.Renditions()[1], encoder.WithSeed(1))
	require.NoError(tb, err)
	rx, err := receiver.NewVideo(c.start, c.opts...)
	require.NoError(tb, err)

	var res videoResult
	var queue []arrival
	var seq uint16
	shot, taken := c.firstShot, 0
	for t := c.start; !t.After(c.start.Add(c.run)); t = t.Add(tick) {
		for !shot.After(t) && taken < c.frames {
			for _, p := range encoder.Packetize(enc.NextFrame(shot), 1200) {
				info, err := encoder.ParseVideo(p.Payload)
				require.NoError(tb, err)
				for _, d := range c.path(info) {
					queue = append(queue, arrival{at: shot.Add(d), seq: seq, info: info})
				}
				seq++
			}
			shot = shot.Add(enc.FrameInterval())
			taken++
		}
		slices.SortStableFunc(queue, func(a, b arrival) int { return a.at.Compare(b.at) })
		n := 0
		for n < len(queue) && !queue[n].at.After(t) {
			rx.Push(queue[n].seq, queue[n].info, queue[n].at)
			n++
		}
		queue = queue[n:]
		rx.Tick(t)
		if rx.NeedKeyFrame(t) {
			res.keyRequests = append(res.keyRequests, t)
			if c.pli {
				enc.RequestKeyFrame()
			}
		}
		if el := t.Sub(c.start); el > 0 && el%time.Second == 0 {
			res.perSecond = append(res.perSecond, rx.Stats())
		}
	}
	res.stats = rx.Stats()
	return res
}

// audioPath is videoPath for audio packets, by packet number from 0.
type audioPath func(i int) []time.Duration

type audioCall struct {
	packets  int
	firstSeq uint16
	path     audioPath
	// tail is how long ticking goes on after the last packet's capture
	// slot ends: 60 ms plays the last packet of an undisturbed stream and
	// nothing more, since an ended stream would otherwise be concealed.
	tail time.Duration
	// dtx makes the sender a P.59 talker with Opus DTX: packets then counts
	// 20 ms frames, and path numbers only the packets sent.
	dtx bool
}

// sentAudio is one packet the sender sent.
type sentAudio struct {
	capture time.Time
	info    encoder.AudioInfo
	marker  bool
}

// sent returns the packets the sender sends, in order.
func (c audioCall) sent(tb testing.TB) []sentAudio {
	tb.Helper()
	var opts []encoder.AudioOption
	if c.dtx {
		opts = append(opts, encoder.WithDTX(encoder.P59Talkspurt, encoder.P59Pause))
	}
	enc, err := encoder.NewAudio(1, opts...)
	require.NoError(tb, err)
	var out []sentAudio
	for i := range c.packets {
		capture := epoch.Add(time.Duration(i) * encoder.AudioPacketInterval)
		f := enc.NextFrameInto(nil, capture)
		if f.Payload == nil {
			continue
		}
		info, err := encoder.ParseAudio(f.Payload)
		require.NoError(tb, err)
		out = append(out, sentAudio{capture: capture, info: info, marker: f.Marker})
	}
	return out
}

// simulate sends packets every 20 ms from epoch and ticks the receiver every
// 5 ms until tail after the last capture slot.
func (c audioCall) simulate(tb testing.TB) receiver.AudioStats {
	tb.Helper()
	rx := receiver.NewAudio(epoch)
	type audioArrival struct {
		at   time.Time
		seq  uint16
		info encoder.AudioInfo
	}
	var queue []audioArrival
	for i, p := range c.sent(tb) {
		delays := []time.Duration{netDelay}
		if c.path != nil {
			delays = c.path(i)
		}
		for _, d := range delays {
			queue = append(queue, audioArrival{at: p.capture.Add(d), seq: c.firstSeq + uint16(i), info: p.info})
		}
	}
	slices.SortStableFunc(queue, func(a, b audioArrival) int { return a.at.Compare(b.at) })
	if c.tail == 0 {
		c.tail = 60 * time.Millisecond
	}
	end := epoch.Add(time.Duration(c.packets)*encoder.AudioPacketInterval + c.tail)
	for t := epoch; !t.After(end); t = t.Add(tick) {
		for len(queue) > 0 && !queue[0].at.After(t) {
			rx.Push(queue[0].seq, queue[0].info, queue[0].at)
			queue = queue[1:]
		}
		rx.Tick(t)
	}
	return rx.Stats()
}
