package simulator

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/netpath"
)

// ErrUnknownRemedy is returned by Apply for an id the catalog lacks.
var ErrUnknownRemedy = errors.New("unknown remedy")

// Apply performs a remedy on the live call now and records it. The returned
// Action says what happened; an error means the remedy could not be carried
// out (the action is recorded with the error too).
func (s *Session) Apply(remedyID string) (Action, error) {
	r, err := s.cat.Remedy(remedyID)
	if err != nil {
		return Action{}, fmt.Errorf("simulator: apply %q: %w: %w", remedyID, ErrUnknownRemedy, err)
	}
	a := Action{RemedyID: remedyID, At: s.Offset()}
	// A resolving remedy ends the fault first, so that a reconnection it
	// makes meets the repaired world (a portal signed into, say).
	s.mu.Lock()
	s.markCleared(r, a.At)
	s.mu.Unlock()
	s.followFaults(s.life, a.At)
	outcome, err := s.perform(r)
	a.Outcome = outcome
	if err != nil {
		a.Err = err.Error()
	}
	s.mu.Lock()
	s.actions = append(s.actions, a)
	// The healthy window restarts: recovery is judged on what follows.
	s.healthy = -1
	s.mu.Unlock()
	s.record(Event{Offset: a.At, Peer: "agent", Kind: "remedy", Message: fmt.Sprintf("%s: %s", remedyID, outcome)})
	if err != nil {
		return a, fmt.Errorf("simulator: apply %s: %w", remedyID, err)
	}
	return a, s.follow(s.Offset())
}

// replay re-applies a recorded action's lasting effects before the call
// starts (a resumed attempt): state, not side effects.
func (s *Session) replay(a Action) {
	r, err := s.cat.Remedy(a.RemedyID)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.actions = append(s.actions, a)
	switch r.Effect.Kind {
	case "switch_network_type":
		s.network = r.Effect.To
	case "move_edge_node":
		s.edgeNode = r.Effect.To
	}
	s.markCleared(r, a.At)
}

// markCleared ends the scenario's fault when a resolving remedy is applied,
// after the remedy's own delay. Callers hold s.mu.
func (s *Session) markCleared(r scenarios.Remedy, at time.Duration) {
	if r.Effect.Kind == "lower_resolution" || !slices.Contains(s.sc.Answer.Resolves, r.ID) {
		return
	}
	when := at + r.Effect.After.Std()
	if s.cleared < 0 || when < s.cleared {
		s.cleared = when
	}
}

// perform does a remedy's own action on the call.
func (s *Session) perform(r scenarios.Remedy) (string, error) {
	e := r.Effect
	switch e.Kind {
	case "switch_network_type":
		s.mu.Lock()
		from := s.network
		s.network = e.To
		s.mu.Unlock()
		return fmt.Sprintf("customer moved from %s to %s", from, e.To), nil
	case "lower_resolution":
		rend, err := encoder.RenditionByName(e.To)
		if err != nil {
			return "", err
		}
		s.call.SetRendition(rend)
		return "video switched to " + rend.Name, nil
	case "move_edge_node":
		s.mu.Lock()
		from := s.edgeNode
		s.edgeNode = e.To
		s.mu.Unlock()
		return fmt.Sprintf("call moved from edge node %s to %s", from, e.To), nil
	case "scale_out":
		ready, err := s.cluster.ScaleOut(2, e.After.Std())
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("scale-out started: 2 new media servers online in about %v (at %s)",
			e.After.Std(), ready.Format(time.TimeOnly)), nil
	case "escalate":
		return "case escalated to engineering with the call's logs attached", nil
	case "kb_answer":
		return "knowledge-base answer sent to the customer", nil
	case "no_action":
		return "no change to the call", nil
	}
	return s.performCall(e)
}

// impairmentAt is what each direction suffers at a timeline offset: the
// scenario's fault (until a resolving remedy clears it), on top of the
// customer's network type when the trainee has moved them to another one.
func (s *Session) impairmentAt(at time.Duration) (up, down impair.Config) {
	s.mu.Lock()
	cleared := s.cleared >= 0 && at >= s.cleared
	network := s.network
	moved := network != s.sc.Customer.Network
	s.mu.Unlock()
	if cleared {
		p := networkProfile(network)
		return p, netpath.Combine(p, s.followServer(at))
	}
	overlay := s.followServer(at)
	up, down = ImpairmentsAt(s.variant, at)
	down = netpath.Combine(down, overlay)
	if moved {
		p := networkProfile(network)
		up, down = netpath.Combine(up, p), netpath.Combine(down, p)
	}
	return up, down
}

// networkProfile is what a healthy access network of a type adds; an
// unknown type (the catalog validates targets, so only a bad file) adds
// nothing.
func networkProfile(network string) impair.Config {
	p, err := netpath.Profile(netpath.NetworkType(network))
	if err != nil {
		return impair.Config{}
	}
	return p
}
