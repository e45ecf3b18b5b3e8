package simulator

import (
	"context"
	"fmt"
	"time"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// remedyTimeout bounds a remedy that reconnects: a signaling fault can make
// a set-up retry for about 11 s before it gives up.
const remedyTimeout = 20 * time.Second

// callFaults are the non-media faults the call runs with.
type callFaults struct {
	signaling  signaling.Fault
	udpBlocked bool
	serverDown bool
}

// faultsAt are the non-media faults at a timeline offset; a resolving
// remedy clears them as it clears the media fault.
func (s *Session) faultsAt(at time.Duration) callFaults {
	s.mu.Lock()
	cleared := s.cleared >= 0 && at >= s.cleared
	s.mu.Unlock()
	cf := callFaults{signaling: signaling.Fault{Mode: signaling.ModeNone}}
	if cleared {
		return cf
	}
	f := s.variant.FaultsAt(at)
	if f.Signaling != "" {
		if m, err := signaling.ParseMode(f.Signaling); err == nil {
			cf.signaling = signaling.Fault{Mode: m, Delay: f.SignalingDelay}
		}
	}
	cf.udpBlocked, cf.serverDown = f.UDPBlocked, f.PrimaryMediaServerDown
	return cf
}

// startOptions are the call options that put the faults and the replayed
// remedies in place before the first set-up.
func (s *Session) startOptions(at time.Duration) ([]Option, error) {
	cf := s.faultsAt(at)
	s.lastFaults = cf
	// An exam call can meet any network fault of its timeline and the agent
	// can download its packets, so it has firewalls and capture from the start.
	opts := []Option{WithAsyncSetup(), WithFirewalls(true), WithCapture(true),
		WithSignalingFault(cf.signaling), WithUDPBlocked(cf.udpBlocked)}
	if cf.serverDown {
		opts = append(opts, WithMediaServerDown(MediaServerPrimary))
	}
	f := s.variant.FaultsAt(at)
	profile := f.CodecOffer
	name := "customer device"
	for _, a := range s.actions { // a resumed attempt keeps what the remedies changed
		r, err := s.cat.Remedy(a.RemedyID)
		if err != nil {
			continue
		}
		switch r.Effect.Kind {
		case "use_turn_relay":
			opts = append(opts, WithRelay(true))
		case "switch_signaling_domain":
			opts = append(opts, WithSignalingDomain(signaling.BackupDomain))
		case "update_client", "switch_browser":
			profile, name = r.Effect.Codecs, string(r.ID)
		}
	}
	if len(profile) > 0 {
		p, err := NewCodecProfile(name, profile...)
		if err != nil {
			return nil, fmt.Errorf("codec offer: %w", err)
		}
		opts = append(opts, WithClientProfile(p))
	}
	return opts, nil
}

// followFaults applies fault changes of the timeline (or of a clearing
// remedy) to the live call. When a signaling fault ends on a call that never
// connected, the app tries again, as it would on its next retry.
func (s *Session) followFaults(ctx context.Context, at time.Duration) {
	cf := s.faultsAt(at)
	s.mu.Lock()
	last := s.lastFaults
	s.lastFaults = cf
	s.mu.Unlock()
	if cf == last {
		return
	}
	if cf.signaling != last.signaling {
		_ = s.call.SetSignalingFault(cf.signaling)
	}
	if cf.udpBlocked != last.udpBlocked {
		_ = s.call.SetUDPBlocked(cf.udpBlocked)
	}
	if cf.serverDown != last.serverDown {
		_ = s.call.SetMediaServerDown(MediaServerPrimary, cf.serverDown)
	}
	if last.signaling.Mode != signaling.ModeNone && cf.signaling.Mode == signaling.ModeNone &&
		s.call.State() != StateConnected {
		s.mu.Lock()
		if !s.closed {
			s.wg.Add(1)
			go func() { // a set-up may take seconds; the session keeps following
				defer s.wg.Done()
				rctx, cancel := context.WithTimeout(ctx, remedyTimeout)
				defer cancel()
				_ = s.call.ResetSession(rctx)
			}()
		}
		s.mu.Unlock()
	}
}

// logClientFaults writes what the customer's app logs about faults on the
// device itself, which no network measurement shows.
func (s *Session) logClientFaults() {
	for _, ph := range s.variant.Phases {
		f := ph.Faults
		if f.CameraOff {
			s.record(Event{Offset: ph.At, Peer: "client", Kind: "media",
				Message: "camera: local video track muted by user (camera switched off in the app)"})
		}
		if f.EchoCancellationFailed {
			s.record(Event{Offset: ph.At, Peer: "client", Kind: "media",
				Message: "audio: AEC not converged after 10 s (ERLE 1.8 dB); echo path diverged on built-in speaker"})
		}
	}
}

// performCall carries out the remedies that rebuild part of the call:
// relays, server failover, signaling domains and client updates.
func (s *Session) performCall(e scenarios.Effect) (string, error) {
	ctx, cancel := context.WithTimeout(s.life, remedyTimeout)
	defer cancel()
	switch e.Kind {
	case "use_turn_relay":
		return "call re-negotiated through the TURN relay (relay-only ICE policy)", s.call.UseRelay(ctx)
	case "failover_media_server":
		name, err := s.cluster.Failover()
		if err != nil {
			return "", err
		}
		return "session moved to media server " + name, s.call.FailoverServer(ctx)
	case "switch_signaling_domain":
		return "signaling switched to " + signaling.BackupDomain + "; session reset", s.call.SwitchSignalingDomain(ctx)
	case "reset_session":
		return "session reset: signaling and media set up again", s.call.ResetSession(ctx)
	case "update_client", "switch_browser":
		p, err := NewCodecProfile(e.Kind+" "+e.To, e.Codecs...)
		if err != nil {
			return "", err
		}
		if e.Kind == "update_client" {
			return "client updated; it now offers " + p.String(), s.call.UpdateClient(ctx, p)
		}
		return "customer moved to " + e.To + ", which offers " + p.String(), s.call.SwitchBrowser(ctx, p)
	}
	return "", fmt.Errorf("remedy kind %s is not known to this engine", e.Kind)
}
