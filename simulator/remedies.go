package simulator

import (
	"context"
	"fmt"

	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// UseRelay reconnects the call relay-only through the TURN server (over the
// transport WithRelayTransport chose, TLS by default): the app closes its
// connection and sets up a new one whose only candidates are relayed. It is
// the remedy for a firewall that blocks UDP; the relay's extra delay shows in
// the RTT afterwards.
func (c *Call) UseRelay(ctx context.Context) error {
	via := string(c.cfg.faults.relayTransport)
	return c.reconnect(ctx, "use TURN relay ("+via+")", func(s *legSpec) { s.relay = true })
}

// FailoverServer reconnects the call to the other media server (the backup
// from the primary, and back): a new session on a second server peer; the
// old one is closed.
func (c *Call) FailoverServer(ctx context.Context) error {
	return c.reconnect(ctx, "fail over to the other media server", func(s *legSpec) {
		s.server = other(s.server, MediaServerPrimary, MediaServerBackup)
	})
}

// SwitchSignalingDomain points the app at the other signaling domain (the
// backup from the primary, and back) and resets the session: a fresh
// negotiation over the new domain.
func (c *Call) SwitchSignalingDomain(ctx context.Context) error {
	return c.reconnect(ctx, "switch signaling domain and reset the session", func(s *legSpec) {
		s.domain = other(s.domain, signaling.PrimaryDomain, signaling.BackupDomain)
	})
}

// ResetSession hangs up and sets the call up again with nothing changed, as
// "call again" does: it helps only if the cause is gone.
func (c *Call) ResetSession(ctx context.Context) error {
	return c.reconnect(ctx, "reset the session", func(*legSpec) {})
}

// UpdateClient replaces the customer's app with a version that offers p and
// sets the call up again.
func (c *Call) UpdateClient(ctx context.Context, p CodecProfile) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("simulator: update client: %w", err)
	}
	return c.reconnect(ctx, "update the client to "+p.String(), func(s *legSpec) { s.profile = p })
}

// SwitchBrowser has the customer open the call in another browser that
// offers p; the call is set up again from it.
func (c *Call) SwitchBrowser(ctx context.Context, p CodecProfile) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("simulator: switch browser: %w", err)
	}
	return c.reconnect(ctx, "switch browser to "+p.String(), func(s *legSpec) { s.profile = p })
}

// reconnect is every reconnecting remedy: close the current leg, set up a
// new one changed by change, and wait until it connects or fails (or ctx
// ends; the setup then goes on in the background). The outcome is logged
// and a failure returned.
func (c *Call) reconnect(ctx context.Context, what string, change func(*legSpec)) error {
	c.remedyMu.Lock()
	defer c.remedyMu.Unlock()
	c.mu.Lock()
	old, closed := c.cur, c.closed
	var spec legSpec
	if old != nil {
		spec = old.spec
	}
	c.mu.Unlock()
	if closed || old == nil {
		return fmt.Errorf("simulator: %s: %w", what, ErrClosed)
	}
	change(&spec)
	c.emit("agent", KindRemedy, "remedy: "+what)
	if err := c.closeLeg(old); err != nil {
		c.emit("agent", KindError, "closing the previous connection: "+err.Error())
	}
	l, err := c.startLeg(spec)
	if err != nil {
		return c.remedyFailed(what, err)
	}
	if !c.spawn(func() { _ = c.setup(l) }) {
		return c.remedyFailed(what, ErrClosed)
	}
	select {
	case <-l.done:
	case <-ctx.Done():
		return c.remedyFailed(what, ctx.Err())
	case <-c.ctx.Done():
		return c.remedyFailed(what, ErrClosed)
	}
	c.mu.Lock()
	err, up := l.err, l.upAt-l.setupAt
	c.mu.Unlock()
	if err != nil {
		return c.remedyFailed(what, err)
	}
	c.emit("agent", KindRemedy, fmt.Sprintf("remedy %s: connected again after %v", what, up.Round(1e6)))
	return nil
}

func (c *Call) remedyFailed(what string, err error) error {
	c.emit("agent", KindRemedy, fmt.Sprintf("remedy %s: failed: %v", what, err))
	return fmt.Errorf("simulator: %s: %w", what, err)
}

func other(cur, a, b string) string {
	if cur == a {
		return b
	}
	return a
}
