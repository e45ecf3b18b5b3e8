package scenarios

import (
	"slices"
	"time"
)

// Ticket is the trainee-visible part of a scenario: what the customer says
// and what the agent's console shows. It has no field of the answer key, no
// tags and no id (ids and tags name causes), so handing a Ticket to a page
// cannot leak the answer.
type Ticket struct {
	Title      Text   `json:"title"`
	Complaint  Text   `json:"complaint"`
	Difficulty string `json:"difficulty"`
	// HandlingTime is the expected handling time (nanoseconds in JSON).
	HandlingTime time.Duration `json:"handling_time"`
	Device       string        `json:"device"`
	Model        string        `json:"model,omitempty"`
	Client       Client        `json:"client"`
	Network      string        `json:"network"`
	Region       Text          `json:"region"`
	EdgeNode     string        `json:"edge_node,omitempty"`
}

// Ticket returns the trainee-visible part of the scenario.
func (s *Scenario) Ticket() Ticket {
	c := s.Customer
	return Ticket{
		Title: s.Title, Complaint: s.Complaint, Difficulty: s.Difficulty,
		HandlingTime: s.HandlingTime.Std(), Device: c.Device, Model: c.Model, Client: c.Client,
		Network: c.Network, Region: c.Region, EdgeNode: string(c.EdgeNode),
	}
}

// File is the name the scenario was loaded from.
func (s *Scenario) File() string { return s.file }

// ContentHash is the hex sha256 of the file's bytes; an attempt stores it
// with its seed so that a replay can tell whether the file has changed.
func (s *Scenario) ContentHash() string { return s.hash }

// NonMediaFaults names the faults outside the media path the timeline uses,
// sorted. The media engine cannot play them yet.
func (s *Scenario) NonMediaFaults() []string {
	var used []string
	add := func(on bool, name string) {
		if on && !slices.Contains(used, name) {
			used = append(used, name)
		}
	}
	for _, ph := range s.Timeline {
		f := ph.Faults
		if f == nil {
			continue
		}
		add(f.Signaling != nil && f.Signaling.Mode != "none", "signaling")
		add(len(f.CodecOffer) > 0, "codec_offer")
		add(f.UDPBlocked, "udp_blocked")
		add(f.ServerLoad != nil, "server_load")
		add(f.PrimaryMediaServerDown, "primary_media_server_down")
		add(f.Client != nil && f.Client.CameraOff, "camera_off")
		add(f.Client != nil && f.Client.EchoCancellationFailed, "echo_cancellation_failed")
	}
	slices.Sort(used)
	return used
}

// RunnableOnMediaEngine reports whether the scenario uses media impairments
// only, which the current engine plays. It is computed, never declared, so
// it cannot go stale when a trainer adds a fault.
func (s *Scenario) RunnableOnMediaEngine() bool { return len(s.NonMediaFaults()) == 0 }

// HealthyBounds is what "resolved" means for this scenario: the default
// bounds, with any metric the scenario names replaced by its own bounds.
func (s *Scenario) HealthyBounds() Conditions {
	var out Conditions
	for _, d := range DefaultHealthy() {
		if !slices.ContainsFunc(s.Healthy, func(c Condition) bool { return c.Metric == d.Metric }) {
			out = append(out, d)
		}
	}
	return append(out, s.Healthy...)
}
