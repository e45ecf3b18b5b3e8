package simulator

import (
	"fmt"
	"slices"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// engineFaults are the non-media faults this engine plays.
func engineFaults() []string { return []string{"server_load", "primary_media_server_down"} }

// Unsupported names the faults of a scenario the engine cannot play; an
// empty list means the whole scenario runs.
func Unsupported(sc *scenarios.Scenario) []string {
	var out []string
	for _, f := range sc.NonMediaFaults() {
		if !slices.Contains(engineFaults(), f) {
			out = append(out, f)
		}
	}
	return out
}

// performCall carries out the remedies that rebuild part of the call:
// relays, server failover, signaling domains and client updates.
func (s *Session) performCall(e scenarios.Effect) (string, error) {
	switch e.Kind {
	case "failover_media_server":
		name, err := s.cluster.Failover()
		if err != nil {
			return "", err
		}
		return "session moved to media server " + name, nil
	}
	return "", fmt.Errorf("remedy kind %s is not available on this engine yet", e.Kind)
}
