package browserfeed

import (
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// counters are the feed's running totals, guarded by Feed.mu.
type counters struct {
	videoFrames, keyFrames, videoLoops, audioPackets, writeErrors, switches uint64
	nacked, plis, firs                                                      uint64
	video, audio                                                            Report
}

// Report is the last RTCP receiver report the browser sent for one stream:
// the network's loss as the browser counted it (before retransmissions
// repaired any) and its RFC 3550 jitter.
type Report struct {
	// FractionLost is the loss since the previous report, 0..1.
	FractionLost float64
	// TotalLost is the cumulative number of packets lost.
	TotalLost uint32
	// Jitter is the interarrival jitter in RTP timestamp units.
	Jitter uint32
	// Reports counts the reports received.
	Reports uint64
}

// Stats is what a feed has sent and heard back so far.
type Stats struct {
	// State is the peer connection's state ("new", "connected", ...).
	State string
	// Rendition is the rendition being sent now.
	Rendition string
	// Width and Height are the current rendition's size.
	Width, Height int
	// VideoFrames, KeyFrames and AudioPackets count the samples sent;
	// VideoLoops counts completed passes through a video clip.
	VideoFrames, KeyFrames, VideoLoops, AudioPackets uint64
	// Switches counts rendition switches made.
	Switches uint64
	// WriteErrors counts samples the tracks refused.
	WriteErrors uint64
	// Nacked counts the packets the browser asked to have sent again;
	// PLIs and FIRs count its key-frame requests, which a file source
	// cannot honour before the clip's next key frame.
	Nacked, PLIs, FIRs uint64
	// Video and Audio are the browser's receiver reports.
	Video, Audio Report
	// Impairment is what the impairment did to the feed's packets.
	Impairment impair.Stats
}

// Stats returns the feed's figures so far.
func (f *Feed) Stats() Stats {
	f.mu.Lock()
	c := f.counters
	s := Stats{State: f.state.String(), Rendition: f.current.name, Width: f.current.width, Height: f.current.height}
	f.mu.Unlock()
	s.VideoFrames, s.KeyFrames, s.VideoLoops, s.AudioPackets = c.videoFrames, c.keyFrames, c.videoLoops, c.audioPackets
	s.Switches, s.WriteErrors = c.switches, c.writeErrors
	s.Nacked, s.PLIs, s.FIRs = c.nacked, c.plis, c.firs
	s.Video, s.Audio = c.video, c.audio
	s.Impairment = f.impair.Stats()
	return s
}

// readRTCP drains a sender's RTCP, which is what makes Pion's interceptors
// (the NACK responder among them) see it, and counts what the browser asks
// for. It returns when the peer connection closes.
func (f *Feed) readRTCP(s *webrtc.RTPSender, video bool) {
	defer f.workers.Done()
	for {
		pkts, _, err := s.ReadRTCP()
		if err != nil {
			return
		}
		ssrc := uint32(0)
		if enc := s.GetParameters().Encodings; len(enc) > 0 {
			ssrc = uint32(enc[0].SSRC)
		}
		f.mu.Lock()
		for _, p := range pkts {
			f.count(p, ssrc, video)
		}
		f.mu.Unlock()
	}
}

// count adds one RTCP packet to the counters; the caller holds f.mu.
func (f *Feed) count(p rtcp.Packet, ssrc uint32, video bool) {
	switch p := p.(type) {
	case *rtcp.TransportLayerNack:
		for _, pair := range p.Nacks {
			f.counters.nacked += uint64(len(pair.PacketList()))
		}
	case *rtcp.PictureLossIndication:
		f.counters.plis++
	case *rtcp.FullIntraRequest:
		f.counters.firs++
	case *rtcp.ReceiverReport:
		for _, r := range p.Reports {
			if r.SSRC != ssrc {
				continue
			}
			rep := &f.counters.audio
			if video {
				rep = &f.counters.video
			}
			rep.FractionLost = float64(r.FractionLost) / 256
			rep.TotalLost = r.TotalLost
			rep.Jitter = r.Jitter
			rep.Reports++
		}
	}
}
