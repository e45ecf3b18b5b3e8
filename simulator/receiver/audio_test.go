package receiver_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

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
