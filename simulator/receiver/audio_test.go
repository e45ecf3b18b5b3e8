package receiver_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/receiver"
)

func TestAudioPlayout(t *testing.T) {
	lost := func(seqs ...int) audioPath {
		return func(i int) []time.Duration {
			for _, s := range seqs {
				if i == s {
					return nil
				}
			}
			return []time.Duration{netDelay}
		}
	}
	tests := []struct {
		name          string
		path          audioPath
		wantPlayed    uint64
		wantConcealed uint64 // slots
		wantEvents    uint64
		wantLate      uint64
		wantE2E       time.Duration
		jittery       bool // the target delay grows with the jitter seen
	}{
		{name: "clean", wantPlayed: 200, wantE2E: netDelay + 40*time.Millisecond},
		{
			name:       "duplicated",
			path:       func(int) []time.Duration { return []time.Duration{netDelay, netDelay + 5*time.Millisecond} },
			wantPlayed: 200, wantE2E: netDelay + 40*time.Millisecond,
		},
		{
			name: "reordered within the buffer",
			path: func(i int) []time.Duration {
				if i == 40 {
					return []time.Duration{netDelay + 25*time.Millisecond} // after packet 41
				}
				return []time.Duration{netDelay}
			},
			wantPlayed: 200, wantE2E: netDelay + 40*time.Millisecond, jittery: true,
		},
		{
			// Packets 11 and 12 are in the buffer when 10's slot comes: one
			// slot concealed. For 20-21, packet 22 is there at 20's slot:
			// two slots. For 30-33, nothing later is there at 30's slot nor
			// at the next, so two slots are stretched before 34 shows the
			// four are lost: six slots, and playout runs 40 ms later from
			// then on, so the last two packets are still waiting at the end.
			name: "loss pattern", path: lost(10, 20, 21, 30, 31, 32, 33),
			wantPlayed: 191, wantConcealed: 9, wantEvents: 3, wantE2E: netDelay + 80*time.Millisecond,
		},
		{
			name: "one packet 200 ms late",
			path: func(i int) []time.Duration {
				if i == 60 {
					return []time.Duration{netDelay + 200*time.Millisecond}
				}
				return []time.Duration{netDelay}
			},
			wantPlayed: 199, wantConcealed: 1, wantEvents: 1, wantLate: 1, wantE2E: netDelay + 40*time.Millisecond, jittery: true,
		},
		{
			name: "one packet late twice",
			path: func(i int) []time.Duration {
				if i == 60 {
					return []time.Duration{netDelay + 200*time.Millisecond, netDelay + 210*time.Millisecond}
				}
				return []time.Duration{netDelay}
			},
			wantPlayed: 199, wantConcealed: 1, wantEvents: 1, wantLate: 1, wantE2E: netDelay + 40*time.Millisecond, jittery: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := audioCall{packets: 200, firstSeq: 65500, path: tt.path}.simulate(t)
			assert.Equal(t, tt.wantPlayed, s.PacketsPlayed)
			assert.Equal(t, tt.wantConcealed*encoder.AudioSamplesPerPacket, s.ConcealedSamples)
			assert.Equal(t, tt.wantEvents, s.ConcealmentEvents)
			assert.Equal(t, tt.wantLate, s.PacketsLate)
			assert.Equal(t, uint64(200*encoder.AudioSamplesPerPacket), s.TotalSamplesReceived, "one slot per 20 ms")
			assert.Zero(t, s.RemovedSamplesForAcceleration)
			assert.Equal(t, tt.wantE2E, s.EndToEndDelay)
			assert.Equal(t, netDelay+40*time.Millisecond, s.FirstSample)
			if tt.jittery {
				assert.Greater(t, s.PlayoutDelay, 40*time.Millisecond)
			} else {
				assert.Equal(t, 40*time.Millisecond, s.PlayoutDelay)
			}
		})
	}
}

func TestAudioStall(t *testing.T) {
	// Packets 50-99 (a second) are held back and delivered with packet 100.
	stall := func(i int) []time.Duration {
		if i >= 50 && i < 100 {
			return []time.Duration{netDelay + time.Duration(100-i)*encoder.AudioPacketInterval}
		}
		return []time.Duration{netDelay}
	}
	s := audioCall{packets: 500, path: stall}.simulate(t)
	// Slot k plays at capture(k) + 80 ms and the held packets arrive at
	// capture(100) + 40 ms = slot 98's instant: slots 50-97 come and go with
	// the buffer empty, packet 50 plays at slot 98.
	assert.Equal(t, uint64(48*encoder.AudioSamplesPerPacket), s.ConcealedSamples)
	assert.Equal(t, uint64(1), s.ConcealmentEvents)
	assert.Zero(t, s.PacketsLate, "stretched, not lost")
	assert.Positive(t, s.RemovedSamplesForAcceleration, "the latency is cut back")
	assert.LessOrEqual(t, s.EndToEndDelay, netDelay+80*time.Millisecond)
	// Every packet either played or was removed by acceleration, except
	// those still buffered at the end.
	assert.Equal(t, uint64(500*encoder.AudioSamplesPerPacket), s.TotalSamplesReceived)
}

func TestAudioBeforeAnything(t *testing.T) {
	rx := receiver.NewAudio(epoch)
	rx.Tick(epoch.Add(time.Second))
	assert.Equal(t, receiver.AudioStats{PlayoutDelay: 40 * time.Millisecond}, rx.Stats())
}

// TestAudioDTX plays a P.59 talker with Opus DTX: the pauses are comfort
// noise, not concealment, and each talkspurt keeps the delay.
func TestAudioDTX(t *testing.T) {
	const frames = 3000 // a minute of conversation
	call := audioCall{packets: frames, dtx: true, firstSeq: 65000}
	sent := call.sent(t)
	var firstDTX, firstSpurt int
	for i, p := range sent {
		if p.info.DTX && firstDTX == 0 {
			firstDTX = i
		}
		if p.marker && firstSpurt == 0 {
			firstSpurt = i
		}
	}
	require.Positive(t, firstDTX)
	require.Greater(t, firstSpurt, firstDTX, "a talkspurt after DTX silence")
	require.True(t, sent[firstSpurt-1].info.DTX)
	require.True(t, sent[firstSpurt-2].info.DTX, "the first pause is long")
	onlyDTX := 0
	for i := 1; i+1 < len(sent) && onlyDTX == 0; i++ {
		if sent[i].info.DTX && !sent[i-1].info.DTX && sent[i+1].marker {
			onlyDTX = i
		}
	}
	require.Positive(t, onlyDTX, "a pause with a single DTX frame")
	require.Less(t, len(sent), frames*6/10, "the talker pauses")
	drop := func(k int) audioPath {
		return func(i int) []time.Duration {
			if i == k {
				return nil
			}
			return []time.Duration{netDelay}
		}
	}

	tests := []struct {
		name       string
		path       audioPath
		wantPlayed int
		concealed  bool
	}{
		{name: "clean", wantPlayed: len(sent)},
		{
			// The receiver cannot know the silence began: it conceals until
			// the next packet, 400 ms later, shows what it missed.
			name: "DTX frame lost", path: drop(firstDTX), wantPlayed: len(sent) - 1, concealed: true,
		},
		{
			// The same in a short pause with one DTX frame: the talkspurt
			// after it waits for its place on the timeline, and none of
			// its packets is taken for lost meanwhile.
			name: "only DTX frame of a pause lost", path: drop(onlyDTX), wantPlayed: len(sent) - 1, concealed: true,
		},
		{
			// A DTX update lost in comfort noise goes unnoticed.
			name: "later DTX frame lost", path: drop(firstSpurt - 1), wantPlayed: len(sent) - 1,
		},
		{
			// In comfort noise a missing first packet is not heard: the
			// talkspurt starts with the next one.
			name: "start of a talkspurt lost", path: drop(firstSpurt), wantPlayed: len(sent) - 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call.path = tt.path
			s := call.simulate(t)
			assert.Equal(t, uint64(tt.wantPlayed), s.PacketsPlayed)
			assert.Equal(t, uint64(frames*encoder.AudioSamplesPerPacket), s.TotalSamplesReceived,
				"one slot per 20 ms, pauses included")
			assert.Zero(t, s.PacketsLate)
			if tt.concealed {
				assert.Positive(t, s.ConcealedSamples)
				assert.Equal(t, uint64(1), s.ConcealmentEvents)
				assert.LessOrEqual(t, s.ConcealedSamples, uint64(21*encoder.AudioSamplesPerPacket), "up to the next update")
			} else {
				assert.Zero(t, s.ConcealedSamples, "comfort noise is not concealment")
				assert.Zero(t, s.ConcealmentEvents)
			}
			assert.Equal(t, netDelay+40*time.Millisecond, s.EndToEndDelay, "the delay holds across pauses")
		})
	}
}

// TestAudioDTXLateTalkspurt delays a talkspurt past its place on the
// timeline: comfort noise goes on until it comes, and it plays at once, as
// NetEq plays a late packet after comfort noise; nothing is concealed. The
// delay grows by the 100 ms, with no buffer left, as after a stall.
func TestAudioDTXLateTalkspurt(t *testing.T) {
	const frames = 3000
	call := audioCall{packets: frames, dtx: true}
	sent := call.sent(t)
	spurt := -1
	for i, p := range sent {
		if p.marker {
			spurt = i
			break
		}
	}
	require.Positive(t, spurt)
	// The whole talkspurt and everything after it is 100 ms later.
	call.path = func(i int) []time.Duration {
		if i >= spurt {
			return []time.Duration{netDelay + 100*time.Millisecond}
		}
		return []time.Duration{netDelay}
	}
	call.tail = 160 * time.Millisecond
	s := call.simulate(t)
	assert.Equal(t, uint64(len(sent)), s.PacketsPlayed)
	assert.Zero(t, s.ConcealedSamples)
	assert.Equal(t, netDelay+100*time.Millisecond, s.EndToEndDelay)
}
