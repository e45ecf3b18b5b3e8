package simulator

import (
	"fmt"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// performCall carries out the remedies that rebuild part of the call:
// relays, server failover, signaling domains and client updates.
func (s *Session) performCall(e scenarios.Effect) (string, error) {
	return "", fmt.Errorf("remedy kind %s is not available on this engine yet", e.Kind)
}
