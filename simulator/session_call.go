package simulator

import (
	"slices"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// engineFaults are the non-media faults this engine plays.
func engineFaults() []string {
	return []string{"server_load", "primary_media_server_down", "signaling", "codec_offer", "udp_blocked",
		"camera_off", "echo_cancellation_failed"}
}

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
