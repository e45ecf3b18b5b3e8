// Package receiver models what the customer's app does with the media that
// reaches it: it assembles video frames, plays them out through an adaptive
// jitter buffer, decodes only what a VP8 decoder could decode, and conceals
// missing audio. Its statistics use the webrtc-stats definitions, so the
// figures a trainee reads mean what they mean in chrome://webrtc-internals.
//
// Everything is driven by explicit times (packet arrival, Tick's now), never
// the wall clock, so a run is deterministic and testable without sleeping.
// Both models are safe for concurrent use: packets arrive on the RTP reader's
// goroutine while a ticker renders and another goroutine reads statistics.
//
// # Why not pion's pkg/jitterbuffer
//
// pion/interceptor's jitterbuffer reorders and releases single packets by
// sequence number. A video decoder works on whole frames: what decides a
// freeze is whether all of a frame's packets are there by its render time,
// and what decides a run of dropped frames is the key-frame dependency chain.
// Neither is visible per packet, so this package assembles frames itself
// from the rtcdrill header each payload carries (frame number, packet index
// and count, capture time).
//
// # Video playout rules
//
//   - A frame is complete when all of its packets have arrived; duplicates and
//     retransmissions of a packet already held are ignored.
//   - Transit = arrival time - capture time. A frame's transit is its last
//     packet's. The buffer tracks the mean frame transit and its mean
//     absolute deviation (both with RFC 3550's 1/16 gain), fed by every frame
//     that completes, including frames already dropped: a buffer too small for
//     the network must still learn how late frames come.
//   - Render time = capture + render offset. The target offset = mean frame
//     transit + 3 x its deviation + one frame interval, held within [min, max]
//     (default 0-500 ms) above the base transit, the lowest first-packet
//     transit of the last 32 frames (about a second of the path's delay
//     without queueing). After each frame the offset rises to the target at
//     once (a short stall now beats dropped frames later) or falls towards it
//     by at most 1/8 of a frame interval (frames play slightly fast: about
//     125 ms of latency shed per second at 30 fps, the pace of libwebrtc's
//     100 ms/s).
//   - PlayoutDelay = render offset - base transit: how long the buffer holds
//     media beyond the fastest path, so end-to-end delay = base transit +
//     playout delay for a frame on time. The reported Jitter is RFC 3550's
//     over every packet, as RTCP receiver reports carry it.
//   - Frames play strictly in order. At its render time a complete, decodable
//     frame renders. A delta frame after a dropped frame is not decodable: it
//     is dropped at its render time, and frames stay undecodable until a key
//     frame renders.
//   - An incomplete frame is given up (dropped) once its render time has
//     passed and a packet of a later frame has arrived: the missing packets
//     are lost or too late. With nothing later in hand the stream is stalled,
//     not lossy, so the receiver waits; when the frame completes it renders
//     late and the offset grows by the lateness. That is how a network stall
//     shows as a freeze without dropped frames.
//   - A frame of which no packet arrived counts as dropped too, once a later
//     frame shows it is missing; its render time is estimated from the later
//     frame's capture time and the mean frame interval.
//   - After any drop NeedKeyFrame reports true (the caller sends a PLI), at
//     most once per key-frame request interval (default 500 ms), until a key
//     frame renders.
//   - A freeze (webrtc-stats) is an interval between two rendered frames of at
//     least max(3 x mean, mean + 150 ms), the mean taken over the previous 30
//     intervals; as in libwebrtc, no freeze is declared before 5 intervals
//     exist. The freeze lasts the whole interval.
//
// # Audio playout rules
//
// Audio plays out one 20 ms packet per playout instant, the first instant
// 40 ms after the first packet arrives. At each instant:
//   - the next packet in sequence, if it has arrived, plays;
//   - otherwise, if a later packet has arrived, the next one is lost: the
//     slot is concealed and playout moves past it;
//   - otherwise the buffer is empty: the slot is concealed (expansion) and
//     playout waits for the same packet, which stretches the timeline as
//     NetEq does when the network stalls.
//
// A run of consecutive concealed slots is one concealment event. A packet
// arriving after its slot was concealed is late and discarded. When more than
// two packets beyond the target delay (40 ms + 3 x the RFC 3550 jitter of all
// packets, late ones included) are waiting, every
// fourth instant plays one packet extra (acceleration) until the latency a
// stall added is gone.
//
// Playout keeps a timeline: the capture time of the slot playing, one slot
// further each instant. A packet whose capture lies more than four slots
// ahead of it (a lost DTX frame, frames a stalled sender skipped) waits for
// its place, and so does any packet while slots are being concealed.
//
// # DTX
//
// A DTX frame starts comfort noise: the instants after it play silence,
// counted in totalSamplesReceived but not concealed, until the next packet
// has arrived and the timeline reaches its capture time (NetEq aligns on RTP
// timestamps the same way). Packets missing before it were the lost start
// of a talkspurt, which nobody hears. A lost DTX frame at the end of a
// talkspurt is concealed until the next packet shows the pause.
package receiver
