// Package netpath models the customer's network path for the support
// agent's ping and traceroute, consistent with the scenario the call plays:
// the access network's profile (wifi, 4g, 5g, ethernet), the distance from
// the customer's region to the edge node, and the scenario's impairment put
// on one hop, the "bad hop" (by default the access hop: the WiFi or the
// cell).
//
// A Path is a list of hops from the customer's device to the media server:
//
//	home router or cell gateway -> ISP access -> ISP backbone -> IXP -> edge node -> media server
//
// Names use the .example domain and addresses the documentation ranges of
// RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24): they are labels
// only, nothing is sent. Ping and Traceroute draw each probe's fate hop by
// hop from the hops' impair.Config values with a caller's seeded
// math/rand/v2 source, so the same seed gives the same output, and Uplink and
// Downlink give the end-to-end impairment a call must run with for its RTT
// and loss to match what the tools show.
//
// The package is pure: no Pion, no clock, no goroutines. Combine, which
// merges two impairments in series, lives here because a path is a series of
// links; the media server's overload overlay (package mediaserver) is merged
// onto the downlink with it too.
package netpath
