package impair

// Stats counts what an impairment did. RTP packets and RTCP batches count
// together (each is one datagram on the wire); the RTP-only counters let a
// check compare with what a receiver reports.
//
// Every offered packet and every duplicate ends in exactly one bucket, so
// Packets + Duplicated = Delivered + LostRandom + LostQueue + LostOutage +
// LostClose + what is still queued.
type Stats struct {
	// Packets and Bytes are what the sender offered.
	Packets, Bytes uint64
	// Delivered and DeliveredBytes are what was handed to the next writer,
	// duplicates included.
	Delivered, DeliveredBytes uint64
	// LostRandom counts Bernoulli or Gilbert-Elliott losses.
	LostRandom uint64
	// LostQueue counts drop-tail losses at the rate cap.
	LostQueue uint64
	// LostOutage counts packets offered during an outage.
	LostOutage uint64
	// LostClose counts packets still queued at Close or offered after it.
	LostClose uint64
	// Duplicated counts the extra copies created.
	Duplicated uint64
	// WriteErrors counts held packets the next writer refused (or that could
	// not be copied); they count as Delivered too. Errors of inline writes go
	// back to the sender instead.
	WriteErrors uint64
	// RTPPackets, RTPDelivered and RTPLost are the RTP-only share (RTPLost
	// sums every loss cause; RTPDelivered includes duplicates).
	RTPPackets, RTPDelivered, RTPLost uint64
}

// add sums o into s.
func (s *Stats) add(o Stats) {
	s.Packets += o.Packets
	s.Bytes += o.Bytes
	s.Delivered += o.Delivered
	s.DeliveredBytes += o.DeliveredBytes
	s.LostRandom += o.LostRandom
	s.LostQueue += o.LostQueue
	s.LostOutage += o.LostOutage
	s.LostClose += o.LostClose
	s.Duplicated += o.Duplicated
	s.WriteErrors += o.WriteErrors
	s.RTPPackets += o.RTPPackets
	s.RTPDelivered += o.RTPDelivered
	s.RTPLost += o.RTPLost
}
