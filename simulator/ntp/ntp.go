// Package ntp converts wall-clock time to the NTP formats RTCP carries and
// computes RFC 3550's round-trip time from a reception report, for every
// part of the engine that reads RTCP (remote-inbound statistics, NACK
// timing).
package ntp

import "time"

// unixToNTP is the number of seconds from 1900 (NTP's epoch) to 1970.
const unixToNTP = 2_208_988_800

// Short is the middle 32 bits of t's 64-bit NTP timestamp (NTP short
// format, 1/65536 s), the unit of a reception report's LSR and DLSR.
func Short(t time.Time) uint32 {
	secs := uint64(t.Unix()) + unixToNTP
	frac := uint64(t.Nanosecond()) << 32 / uint64(time.Second)
	return uint32(secs<<16 | frac>>16)
}

// RoundTrip is RFC 3550 section 6.4.1's RTT: arrival - LSR - DLSR in NTP
// short format. A report that has seen no sender report yet (LSR 0) has
// none; implausible results are dropped: a race in pion's report interceptor
// sometimes sends DLSR 0xFFFFFFFF, which modulo 2^32 would look like -1 unit,
// and anything negative (wrapped) or over 10 s is not a round trip.
func RoundTrip(arrival time.Time, lsr, dlsr uint32) (time.Duration, bool) {
	const limit = 10 << 16 // 10 s
	if lsr == 0 || dlsr >= limit {
		return 0, false
	}
	d := Short(arrival) - lsr - dlsr
	if d == 0 || d >= limit {
		return 0, false
	}
	return time.Duration(uint64(d) * uint64(time.Second) >> 16), true
}
