// Package impair degrades what one PeerConnection sends, the way a bad network
// would: random and bursty loss, delay with jitter, a bandwidth cap with a
// bounded queue, duplication and outages.
//
// It follows pion/interceptor's shape: an InterceptorFactory configured by
// options creates one Interceptor per PeerConnection. Register the factory
// FIRST in the PeerConnection's interceptor.Registry: the first interceptor is
// the one nearest the wire, so retransmissions, RTCP reports and TWCC feedback
// produced by the interceptors registered after it are impaired too.
//
// An Interceptor impairs only outbound traffic (BindLocalStream and
// BindRTCPWriter); inbound passes untouched. The client peer's instance is
// therefore the uplink and the server peer's instance the downlink.
//
// Every outbound packet (an RTP packet, or one RTCP batch, which Pion sends as
// one datagram) goes through, in order:
//
//	outage -> loss (Bernoulli or Gilbert-Elliott) -> duplication ->
//	token-bucket rate cap with a drop-tail queue -> delay + jitter -> next writer
//
// The configuration can change while a call runs (InterceptorFactory.SetConfig);
// packets already in flight keep the release time they were given, as they
// would on a real path.
package impair
