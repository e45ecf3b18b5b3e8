// Package browserfeed is the simulator's media server as a trainee's browser
// sees it: a Pion peer that answers the browser's offer and sends the
// customer's picture and voice — real VP8 and Opus from clips embedded in the
// binary — through the same impairment as the scenario's downlink, so that
// the trainee sees the stalled picture and hears the choppy voice the
// metrics describe.
//
// A Feed is one browser's call. New builds it with its impairment, rendition
// and language; Answer takes the browser's offer (non-trickle: the answer
// carries every candidate); the media starts once ICE and DTLS connect.
// SetImpairment changes the network live; SetRendition switches the video to
// another resolution at the next key frame, which is what lowering the
// resolution as a remedy looks like to the customer. A Feed closes itself
// when the browser goes away (ICE disconnected or failed) or its context
// ends; Close does the same and waits.
//
// The peer is built like the engine's media server (package simulator): the
// impairment interceptor registered FIRST, so that retransmissions, RTCP
// reports and TWCC are impaired too; a NACK responder, with the engine's
// generator limits; RTCP sender reports; TWCC sequence numbers for the
// browser's feedback. ICE is loopback-only, as everywhere in the simulator:
// a Chromium needs --allow-loopback-in-peer-connection and
// --disable-features=WebRtcHideLocalIpsWithMdns to offer a 127.0.0.1
// candidate.
//
// Registry keys live feeds (by attempt item, in the web app) so that whoever
// owns the scenario's session can push its downlink changes to the browser.
//
// The clips are made by media/make-media.sh (ffmpeg, espeak-ng) and
// committed; nothing here needs either tool.
package browserfeed
