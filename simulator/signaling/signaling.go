// Package signaling is the call's signaling service: a WebSocket server that
// takes the customer app's SDP offer, relays it to the media server and
// returns the answer (non-trickle: the offer and answer carry every ICE
// candidate), and the app's client, which reaches the service by domain name.
//
// The domains (PrimaryDomain, BackupDomain) do not exist: a Directory maps
// each to a loopback listener inside the client's http.Transport DialContext,
// so the client's errors carry the domain as a real app's would, and a domain
// can be taken down (connection refused) without touching DNS.
//
// A Server misbehaves on demand (Fault), the way signaling breaks in the
// field: a captive portal that swallows the WebSocket upgrade, an overloaded
// service that answers late, a proxy that resets the connection, a gateway
// that mangles the SDP, a policy that refuses the offer.
package signaling

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The signaling domains of the service.
const (
	PrimaryDomain = "signal.primary.rtcdrill.test"
	BackupDomain  = "signal.backup.rtcdrill.test"
)

// Path is the WebSocket endpoint on every signaling server.
const Path = "/v1/signal"

// Message is one JSON frame of the protocol. The client sends one "offer";
// the server replies with one "answer" or one "error".
type Message struct {
	Type string `json:"type"`
	// Session identifies the customer's call session; a session reset
	// starts a new one.
	Session string `json:"session,omitempty"`
	SDP     string `json:"sdp,omitempty"`
	// Code and Reason describe an "error" (SIP-style codes: 488 for an
	// offer the service will not accept, 503 when no media server takes it).
	Code   int    `json:"code,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Message types.
const (
	TypeOffer  = "offer"
	TypeAnswer = "answer"
	TypeError  = "error"
)

// Handler relays an offer to the media server and returns its answer. An
// error goes back to the client as an "error" message with code 503.
type Handler func(ctx context.Context, session, offerSDP string) (answerSDP string, err error)

// Mode is how a Server misbehaves.
type Mode string

// The fault modes. PrimaryDown is not a Server mode: it takes a domain out
// of the Directory (see Directory.SetDown); it is listed so that one name
// set covers the scenario format's signaling faults.
const (
	// ModeNone serves normally.
	ModeNone Mode = "none"
	// ModeTimeout accepts the TCP connection and the HTTP request but never
	// answers the WebSocket upgrade, as a captive portal does: the client's
	// dial times out ("failed to WebSocket dial ... context deadline
	// exceeded").
	ModeTimeout Mode = "timeout"
	// ModeNoAnswer completes the upgrade and reads the offer but never
	// answers it: the client's read times out.
	ModeNoAnswer Mode = "no_answer"
	// ModeSlow answers after Fault.Delay.
	ModeSlow Mode = "slow"
	// ModeReset reads the offer and then resets the TCP connection.
	ModeReset Mode = "reset"
	// ModeMalformedSDP answers with a truncated, unparsable SDP.
	ModeMalformedSDP Mode = "malformed_sdp"
	// ModeRefusedSDP answers with an error message instead of an answer.
	ModeRefusedSDP Mode = "refused_sdp"
	// ModePrimaryDown is the primary domain refusing connections.
	ModePrimaryDown Mode = "primary_down"
)

// ParseMode checks a mode name ("" means none).
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case "":
		return ModeNone, nil
	case ModeNone, ModeTimeout, ModeNoAnswer, ModeSlow, ModeReset, ModeMalformedSDP, ModeRefusedSDP, ModePrimaryDown:
		return m, nil
	default:
		return "", fmt.Errorf("signaling: unknown fault mode %q", s)
	}
}

// Fault is a Server's misbehaviour.
type Fault struct {
	Mode Mode
	// Delay is how late ModeSlow answers.
	Delay time.Duration
}

// Validate reports a fault the server cannot play.
func (f Fault) Validate() error {
	if _, err := ParseMode(string(f.Mode)); err != nil {
		return err
	}
	if f.Mode == ModeSlow && f.Delay <= 0 {
		return errors.New("signaling: mode slow needs a positive delay")
	}
	if f.Mode != ModeSlow && f.Delay != 0 {
		return fmt.Errorf("signaling: only mode slow takes a delay, not %s", f.Mode)
	}
	if f.Delay > time.Minute {
		return fmt.Errorf("signaling: delay %v above 1m", f.Delay)
	}
	return nil
}

// RefusedError is the client's error for an "error" reply.
type RefusedError struct {
	Domain string
	Code   int
	Reason string
}

// Error reads like an app's log line.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("signaling server %s refused the offer: %d %s", e.Domain, e.Code, e.Reason)
}
