// Package capture is the support agent's packet capture of a call: an
// interceptor that records the RTP and RTCP one peer sends and receives, a
// pcap export that Wireshark and tshark open, and an RTP stream analysis like
// Wireshark's "RTP Stream Analysis".
//
// It follows pion/interceptor's shape: an InterceptorFactory configured by
// options creates one Interceptor per PeerConnection. Register it AFTER the
// impairment (package impair) in the PeerConnection's registry: the first
// interceptor added is the one nearest the wire, so a capture added after the
// impairment sees what the application sent, before the network lost any of
// it, and on the receiving side what survived the network. Interceptors sit
// above SRTP, so every packet is recorded in clear, as a support engineer's
// decrypted capture would show it.
//
// What is kept is bounded twice (see WithMaxPackets and WithMaxAge): by a
// count of packets in a ring, the oldest overwritten first, and by age, so a
// long call costs a fixed amount of memory and an export holds the recent
// past a ticket is about. Eviction is counted in Stats so an analysis of a
// truncated window can say so.
package capture
