package simulator

import (
	"fmt"
	"slices"
)

// The kinds of Event a call logs beyond the media engine's own ("impair",
// "video"). Event.Peer says who logged it: "client" (the customer's app),
// "media-primary" or "media-backup" (the media server's end of a session),
// "agent" (a remedy), "engine" (a fault injected) or "server" (the media
// server's encoder).
const (
	// KindSignaling: the signaling connection and the SDP exchange.
	KindSignaling = "signaling"
	// KindNegotiation: offer/answer content, such as the codecs agreed.
	KindNegotiation = "negotiation"
	// KindICE: ICE gathering, connectivity and the selected path.
	KindICE = "ice"
	// KindPC: the PeerConnection's overall state.
	KindPC = "pc"
	// KindError: an error, with the library's own text.
	KindError = "error"
	// KindFault: the engine injected or lifted a fault.
	KindFault = "fault"
	// KindRemedy: a remedy acted on the call, and its outcome.
	KindRemedy = "remedy"
)

// String formats the event as one line of an app's log:
// "   12.345s client ice: ICE connection state changed: failed".
func (e Event) String() string {
	return fmt.Sprintf("%9.3fs %s %s: %s", e.Offset.Seconds(), e.Peer, e.Kind, e.Message)
}

// Log returns every event so far, oldest first: the client log an agent
// asks the customer for, with the media servers' and the engine's lines.
func (c *Call) Log() []Event {
	c.logMu.Lock()
	defer c.logMu.Unlock()
	return slices.Clone(c.log)
}

// emit records an event and hands it to WithEvents' function, outside any
// lock so that the function may call back into the call.
func (c *Call) emit(peerName, kind, msg string) {
	e := Event{Offset: c.cfg.now().Sub(c.start), Peer: peerName, Kind: kind, Message: msg}
	c.logMu.Lock()
	c.log = append(c.log, e)
	c.logMu.Unlock()
	if c.cfg.events != nil {
		c.cfg.events(e)
	}
}
