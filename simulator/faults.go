package simulator

import (
	"fmt"

	"github.com/rtcdrill/rtcdrill/simulator/firewall"
	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// SetSignalingFault changes how signaling misbehaves from the next attempt
// on. ModePrimaryDown takes the primary domain down (connections refused)
// and leaves the servers healthy; every other mode applies to both servers,
// as a captive portal or a broken gateway sits in front of any domain.
// A leg already connected is not affected: signaling is only used to set up.
func (c *Call) SetSignalingFault(f signaling.Fault) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("simulator: signaling fault: %w", err)
	}
	if err := c.applySignalingFault(f); err != nil {
		return fmt.Errorf("simulator: signaling fault: %w", err)
	}
	msg := "signaling fault: " + string(f.Mode)
	if f.Mode == signaling.ModeSlow {
		msg += fmt.Sprintf(" (answers after %v)", f.Delay)
	}
	c.emit("engine", KindFault, msg)
	return nil
}

func (c *Call) applySignalingFault(f signaling.Fault) error {
	c.dir.SetDown(signaling.PrimaryDomain, f.Mode == signaling.ModePrimaryDown)
	server := f
	if f.Mode == signaling.ModePrimaryDown || f.Mode == "" {
		server = signaling.Fault{Mode: signaling.ModeNone}
	}
	for _, s := range c.sigServer {
		if err := s.SetFault(server); err != nil {
			return err
		}
	}
	return nil
}

// SignalingFault returns the signaling fault in force.
func (c *Call) SignalingFault() signaling.Fault {
	if c.dir.Down(signaling.PrimaryDomain) {
		return signaling.Fault{Mode: signaling.ModePrimaryDown}
	}
	return c.sigServer[signaling.PrimaryDomain].Fault()
}

// SetUDPBlocked puts the customer behind (or takes them out from behind) a
// firewall that silently drops every UDP datagram. A call connected directly
// loses its media at once and ICE fails within the ICE timeouts; a relayed
// call over TURN/TCP or TURN/TLS is unaffected.
//
// It needs a call built WithFirewalls (or WithUDPBlocked); otherwise it
// returns ErrNoFirewalls.
func (c *Call) SetUDPBlocked(blocked bool) error {
	if c.clientNet == nil {
		return fmt.Errorf("simulator: block UDP: %w", ErrNoFirewalls)
	}
	c.clientNet.SetRules(firewall.Rules{BlockUDP: blocked})
	c.emit("engine", KindFault, fmt.Sprintf("customer UDP blocked: %t", blocked))
	return nil
}

// UDPBlocked reports whether the customer's UDP is blocked.
func (c *Call) UDPBlocked() bool { return c.clientNet != nil && c.clientNet.Rules().BlockUDP }

// SetMediaServerDown takes a media server (MediaServerPrimary or
// MediaServerBackup) down or brings it back. Down, it drops every datagram
// of its sessions (the customer's ICE goes disconnected, then failed) and
// the signaling service cannot place new sessions on it.
func (c *Call) SetMediaServerDown(name string, down bool) error {
	if err := checkServer(name); err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	n := c.serverNet[name]
	if n == nil {
		return fmt.Errorf("simulator: media server %s down: %w", name, ErrNoFirewalls)
	}
	n.SetRules(firewall.Rules{Down: down})
	c.emit("engine", KindFault, fmt.Sprintf("media server %s down: %t", name, down))
	return nil
}

// MediaServerDown reports whether a media server is down.
func (c *Call) MediaServerDown(name string) bool {
	n, ok := c.serverNet[name]
	return ok && n != nil && n.Rules().Down
}

// Relay returns the call's TURN server statistics: live allocations and the
// datagrams relayed to and from the media server so far.
func (c *Call) Relay() (allocations int, toPeer, fromPeer uint64) {
	c.turnMu.Lock()
	t := c.turn
	c.turnMu.Unlock()
	if t == nil { // never started: nothing relayed
		return 0, 0, 0
	}
	to, from := t.Relayed()
	return t.Allocations(), to, from
}
