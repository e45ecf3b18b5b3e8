package scenarios

import (
	"fmt"
	"regexp"

	"github.com/invopop/jsonschema"
	"go.yaml.in/yaml/v3"
)

// Scenario is one training case as a trainer wrote it: the customer's
// ticket, the fault as a timeline the engine plays, and the answer key.
// Trainee-facing code must go through Ticket, which leaves the key out.
type Scenario struct {
	// ID is the stable slug attempts refer to; never reuse one for a different case.
	ID Slug `yaml:"id" jsonschema:"required"`
	// Version goes up whenever the fault or the answer key changes meaning.
	Version int `yaml:"version" jsonschema:"required,minimum=1"`
	// Title is shown to the trainee, so it describes the customer's situation, not the cause.
	Title Text `yaml:"title" jsonschema:"required"`
	// Complaint is the customer's own words.
	Complaint Text `yaml:"complaint" jsonschema:"required"`
	// Difficulty for exam assembly and reporting.
	Difficulty string `yaml:"difficulty" jsonschema:"required,enum=easy,enum=medium,enum=hard"`
	// Tags let exams draw scenarios by topic.
	Tags []Slug `yaml:"tags,omitempty" jsonschema:"uniqueItems=true"`
	// HandlingTime is the expected handling time of the ticket, e.g. 3m.
	HandlingTime Duration `yaml:"handling_time" jsonschema:"required"`
	// Customer is the context the agent sees: device, client, network, region.
	Customer Customer `yaml:"customer" jsonschema:"required"`
	// CallLength is how long the engine plays the call, e.g. 60s.
	CallLength DurationSpec `yaml:"duration" jsonschema:"required"`
	// Timeline is the fault: phases in start order, the first at 0s.
	Timeline []Phase `yaml:"timeline" jsonschema:"required,minItems=1"`
	// Healthy overrides the default bounds of a resolved call per metric
	// (roundTripTime < 300ms, fractionLost < 3%, framesPerSecond >= 20, mos >= 3.5).
	Healthy Conditions `yaml:"healthy,omitempty"`
	// Answer is the key grading uses; never shown before grading.
	Answer AnswerKey `yaml:"answer" jsonschema:"required"`

	file string
	hash string
}

// Text is a string in both languages of the desk.
type Text struct {
	ZH string `yaml:"zh" json:"zh" jsonschema:"required,minLength=1"`
	EN string `yaml:"en" json:"en" jsonschema:"required,minLength=1"`
}

// Customer is the caller's context as the agent's console shows it.
type Customer struct {
	// Device is the platform the customer calls from.
	Device string `yaml:"device" jsonschema:"required,enum=ios,enum=android,enum=windows,enum=macos,enum=web"`
	// Model is the hardware, e.g. "iPhone 13" or "Huawei Mate 40".
	Model string `yaml:"model,omitempty"`
	// Client is the app or browser making the call.
	Client Client `yaml:"client" jsonschema:"required"`
	// Network is the customer's access network at the start of the call.
	Network string `yaml:"network" jsonschema:"required,enum=wifi,enum=4g,enum=5g,enum=ethernet"`
	// Region is where the customer is, as the IP location shows it.
	Region Text `yaml:"region" jsonschema:"required"`
	// EdgeNode is the edge node serving the call, e.g. beijing.
	EdgeNode Slug `yaml:"edge_node,omitempty"`
}

// Client is the software making the call.
type Client struct {
	// Kind tells an installed app from a browser.
	Kind string `yaml:"kind" json:"kind" jsonschema:"required,enum=app,enum=browser"`
	// Name, e.g. "FastRTC App", "Safari", "Chrome", "WeChat built-in browser".
	Name string `yaml:"name" json:"name" jsonschema:"required,minLength=1"`
	// Version as the client reports it; quote it ("16.4") so YAML keeps it text.
	Version string `yaml:"version" json:"version" jsonschema:"required,minLength=1"`
}

// Phase is one stretch of the timeline. Each phase states the whole network
// condition from its start: a field left out is unimpaired, so a recovery
// phase is just `- at: 40s`.
type Phase struct {
	// At is the phase's offset from the start of the call.
	At DurationSpec `yaml:"at" jsonschema:"required"`
	// Ramp moves numeric values linearly from the previous phase over this long.
	Ramp DurationSpec `yaml:"ramp,omitempty"`
	// Uplink impairs media from the customer to the server.
	Uplink *ImpairmentSpec `yaml:"uplink,omitempty"`
	// Downlink impairs media from the server to the customer.
	Downlink *ImpairmentSpec `yaml:"downlink,omitempty"`
	// Faults outside the media path; scenarios using them need the non-media engine.
	Faults *FaultSpec `yaml:"faults,omitempty"`
}

// ImpairmentSpec mirrors the engine's impairment config field for field.
type ImpairmentSpec struct {
	// Loss is random packet loss; use burst instead for bursty loss.
	Loss PercentSpec `yaml:"loss,omitempty"`
	// Burst is a Gilbert-Elliott loss model (netem gemodel).
	Burst *BurstSpec `yaml:"burst,omitempty"`
	// Delay is added one way.
	Delay DurationSpec `yaml:"delay,omitempty"`
	// Jitter varies the delay by up to this much.
	Jitter DurationSpec `yaml:"jitter,omitempty"`
	// Distribution of the jitter; uniform when left out.
	Distribution string `yaml:"distribution,omitempty" jsonschema:"enum=uniform,enum=normal,enum=pareto"`
	// Reorder lets jitter reorder packets; otherwise order is kept.
	Reorder bool `yaml:"reorder,omitempty"`
	// Rate caps the bandwidth, e.g. 800kbps.
	Rate BitrateSpec `yaml:"rate,omitempty"`
	// BurstBytes is the token bucket depth of the rate cap.
	BurstBytes SizeSpec `yaml:"burst_bytes,omitempty"`
	// Queue is how long the bottleneck queue holds packets before dropping.
	Queue DurationSpec `yaml:"queue,omitempty"`
	// Duplicate sends this share of packets twice.
	Duplicate PercentSpec `yaml:"duplicate,omitempty"`
	// Outage drops every packet.
	Outage bool `yaml:"outage,omitempty"`
}

// BurstSpec is a Gilbert-Elliott loss model in netem's gemodel terms.
type BurstSpec struct {
	// P is the chance of moving from the good to the bad state per packet.
	P PercentSpec `yaml:"p" jsonschema:"required"`
	// R is the chance of moving from the bad back to the good state.
	R PercentSpec `yaml:"r" jsonschema:"required"`
	// OneMinusH is the loss probability in the bad state; 100% when left out.
	OneMinusH PercentSpec `yaml:"one_minus_h,omitempty"`
	// OneMinusK is the loss probability in the good state; 0% when left out.
	OneMinusK PercentSpec `yaml:"one_minus_k,omitempty"`
}

// FaultSpec holds the faults outside the media path.
type FaultSpec struct {
	// Signaling misbehaviour of the WebSocket signaling service.
	Signaling *SignalingSpec `yaml:"signaling,omitempty"`
	// CodecOffer is the only video codecs the client device offers.
	CodecOffer []string `yaml:"codec_offer,omitempty" jsonschema:"minItems=1,uniqueItems=true,enum=vp8,enum=vp9,enum=h264,enum=av1"`
	// UDPBlocked drops all UDP of the customer, as a corporate firewall does.
	UDPBlocked bool `yaml:"udp_blocked,omitempty"`
	// ServerLoad of the media server serving the call.
	ServerLoad *ServerLoadSpec `yaml:"server_load,omitempty"`
	// PrimaryMediaServerDown takes the primary media server out.
	PrimaryMediaServerDown bool `yaml:"primary_media_server_down,omitempty"`
	// Client states of the customer's device.
	Client *ClientStateSpec `yaml:"client,omitempty"`
}

// SignalingSpec is how the signaling service misbehaves.
type SignalingSpec struct {
	// Mode of failure; primary_down makes the primary domain unreachable.
	Mode string `yaml:"mode" jsonschema:"required,enum=none,enum=timeout,enum=slow,enum=reset,enum=malformed_sdp,enum=refused_sdp,enum=primary_down"`
	// Delay of each signaling answer; only with mode slow.
	Delay DurationSpec `yaml:"delay,omitempty"`
}

// ServerLoadSpec is the media server's load.
type ServerLoadSpec struct {
	CPU      PercentSpec `yaml:"cpu" jsonschema:"required"`
	Memory   PercentSpec `yaml:"memory,omitempty"`
	Sessions CountSpec   `yaml:"sessions,omitempty"`
}

// ClientStateSpec is what the customer's device does wrong by itself.
type ClientStateSpec struct {
	// CameraOff: the customer turned the camera off; the network is fine.
	CameraOff bool `yaml:"camera_off,omitempty"`
	// EchoCancellationFailed: the device's acoustic echo canceller does not converge.
	EchoCancellationFailed bool `yaml:"echo_cancellation_failed,omitempty"`
}

// AnswerKey is what grading compares the trainee's handling with.
type AnswerKey struct {
	// RootCause is a cause id from the catalog.
	RootCause Slug `yaml:"root_cause" jsonschema:"required"`
	// Contributing causes, also catalog ids, that a good diagnosis may name too.
	Contributing []Slug `yaml:"contributing,omitempty" jsonschema:"uniqueItems=true"`
	// Resolves lists remedy ids that each resolve the ticket.
	Resolves []Slug `yaml:"resolves" jsonschema:"required,minItems=1,uniqueItems=true"`
	// Accepted lists remedy ids that are reasonable but do not resolve it.
	Accepted []Slug `yaml:"accepted,omitempty" jsonschema:"uniqueItems=true"`
	// Harmful lists remedy ids that make things worse or waste the customer's time.
	Harmful []Slug `yaml:"harmful,omitempty" jsonschema:"uniqueItems=true"`
	// Escalate is true when engineering must get the case (with logs).
	Escalate bool `yaml:"escalate"`
	// Evidence supports the diagnosis.
	Evidence Evidence `yaml:"evidence" jsonschema:"required"`
	// Explanation is shown after grading.
	Explanation Text `yaml:"explanation" jsonschema:"required"`
	// KB is the knowledge-base article for the case.
	KB Article `yaml:"kb" jsonschema:"required"`
}

// Article is a knowledge-base article.
type Article struct {
	Title Text `yaml:"title" json:"title" jsonschema:"required"`
	Body  Text `yaml:"body" json:"body" jsonschema:"required"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)

// Slug is a stable identifier: lower-case letters and digits joined by
// single dashes or underscores, at most 64 characters.
type Slug string

func (s *Slug) decodeNode(n *yaml.Node) error {
	if !isScalar(n, "!!str") {
		return fmt.Errorf("expected an id like wifi-high-rtt, got %s", describe(n))
	}
	if len(n.Value) > 64 || !slugRE.MatchString(n.Value) {
		return fmt.Errorf("%q is not an id: use lower-case letters and digits joined by - or _", n.Value)
	}
	*s = Slug(n.Value)
	return nil
}

// JSONSchema describes the accepted spelling to editors.
func (Slug) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: slugRE.String(), MaxLength: ptr(uint64(64))}
}
