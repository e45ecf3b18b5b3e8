package scenarios

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// Variant is one concrete playing of a scenario: every range and choice
// resolved by a seed. Its JSON form is canonical, so the same file and seed
// give byte-identical bytes, and an attempt that stores seed and content
// hash can be replayed exactly.
type Variant struct {
	ScenarioID      string         `json:"scenario_id"`
	ScenarioVersion int            `json:"scenario_version"`
	ContentHash     string         `json:"content_hash"`
	Seed            uint64         `json:"seed,string"`
	Length          time.Duration  `json:"duration"`
	Phases          []VariantPhase `json:"phases"`
}

// VariantPhase is one phase with concrete values.
type VariantPhase struct {
	At       time.Duration `json:"at"`
	Ramp     time.Duration `json:"ramp"`
	Uplink   Impairment    `json:"uplink"`
	Downlink Impairment    `json:"downlink"`
	Faults   Faults        `json:"faults"`
}

// Impairment is the engine's impairment config for one direction, in base
// units: fractions, time.Duration, bit/s and bytes. Zero values mean no
// impairment; Rate 0 means no cap.
type Impairment struct {
	Loss         float64         `json:"loss"`
	Burst        *GilbertElliott `json:"burst,omitempty"`
	Delay        time.Duration   `json:"delay"`
	Jitter       time.Duration   `json:"jitter"`
	Distribution string          `json:"distribution,omitempty"`
	Reorder      bool            `json:"reorder"`
	Rate         int64           `json:"rate"`
	BurstBytes   int64           `json:"burst_bytes"`
	Queue        time.Duration   `json:"queue"`
	Duplicate    float64         `json:"duplicate"`
	Outage       bool            `json:"outage"`
}

// GilbertElliott is netem's gemodel: P good->bad, R bad->good, OneMinusH
// loss in the bad state, OneMinusK loss in the good state (all 0..1).
type GilbertElliott struct {
	P         float64 `json:"p"`
	R         float64 `json:"r"`
	OneMinusH float64 `json:"one_minus_h"`
	OneMinusK float64 `json:"one_minus_k"`
}

// MeanLoss is the long-run loss rate of the model.
func (g GilbertElliott) MeanLoss() float64 {
	if g.P+g.R == 0 {
		return g.OneMinusK
	}
	return (g.P*g.OneMinusH + g.R*g.OneMinusK) / (g.P + g.R)
}

// Faults are the concrete non-media faults of a phase.
type Faults struct {
	Signaling              string        `json:"signaling"`
	SignalingDelay         time.Duration `json:"signaling_delay"`
	CodecOffer             []string      `json:"codec_offer,omitempty"`
	UDPBlocked             bool          `json:"udp_blocked"`
	ServerLoad             *ServerLoad   `json:"server_load,omitempty"`
	PrimaryMediaServerDown bool          `json:"primary_media_server_down"`
	CameraOff              bool          `json:"camera_off"`
	EchoCancellationFailed bool          `json:"echo_cancellation_failed"`
}

// ServerLoad is the media server's load: CPU and Memory as fractions.
type ServerLoad struct {
	CPU      float64 `json:"cpu"`
	Memory   float64 `json:"memory"`
	Sessions int64   `json:"sessions"`
}

// Variant resolves the scenario with a seed. The generator is PCG seeded
// with the seed and a hash of the scenario id, and values are drawn in file
// order, so the result depends on nothing else.
func (s *Scenario) Variant(seed uint64) *Variant {
	h := fnv.New64a()
	h.Write([]byte(s.ID))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	v := &Variant{
		ScenarioID: string(s.ID), ScenarioVersion: s.Version, ContentHash: s.hash, Seed: seed,
		Length: time.Duration(s.CallLength.pick(r, unitDuration)),
	}
	for _, ph := range s.Timeline {
		v.Phases = append(v.Phases, VariantPhase{
			At:       time.Duration(ph.At.pick(r, unitDuration)),
			Ramp:     time.Duration(ph.Ramp.pick(r, unitDuration)),
			Uplink:   resolveImpairment(ph.Uplink, r),
			Downlink: resolveImpairment(ph.Downlink, r),
			Faults:   resolveFaults(ph.Faults, r),
		})
	}
	return v
}

func resolveImpairment(im *ImpairmentSpec, r *rand.Rand) Impairment {
	if im == nil {
		return Impairment{}
	}
	out := Impairment{
		Loss:   im.Loss.pick(r, unitPercent),
		Delay:  time.Duration(im.Delay.pick(r, unitDuration)),
		Jitter: time.Duration(im.Jitter.pick(r, unitDuration)),
	}
	if b := im.Burst; b != nil {
		out.Burst = &GilbertElliott{P: b.P.pick(r, unitPercent), R: b.R.pick(r, unitPercent),
			OneMinusH: 1, OneMinusK: 0}
		if b.OneMinusH.IsSet() {
			out.Burst.OneMinusH = b.OneMinusH.pick(r, unitPercent)
		}
		out.Burst.OneMinusK = b.OneMinusK.pick(r, unitPercent)
	}
	if im.Jitter.IsSet() {
		out.Distribution = im.Distribution
		if out.Distribution == "" {
			out.Distribution = "uniform"
		}
	}
	out.Reorder = im.Reorder
	out.Rate = int64(im.Rate.pick(r, unitBitrate))
	out.BurstBytes = int64(im.BurstBytes.pick(r, unitSize))
	out.Queue = time.Duration(im.Queue.pick(r, unitDuration))
	out.Duplicate = im.Duplicate.pick(r, unitPercent)
	out.Outage = im.Outage
	return out
}

func resolveFaults(f *FaultSpec, r *rand.Rand) Faults {
	out := Faults{Signaling: "none"}
	if f == nil {
		return out
	}
	if f.Signaling != nil {
		out.Signaling = f.Signaling.Mode
		out.SignalingDelay = time.Duration(f.Signaling.Delay.pick(r, unitDuration))
	}
	out.CodecOffer = slices.Clone(f.CodecOffer)
	out.UDPBlocked = f.UDPBlocked
	if l := f.ServerLoad; l != nil {
		out.ServerLoad = &ServerLoad{CPU: l.CPU.pick(r, unitPercent), Memory: l.Memory.pick(r, unitPercent),
			Sessions: int64(l.Sessions.pick(r, unitCount))}
	}
	out.PrimaryMediaServerDown = f.PrimaryMediaServerDown
	if c := f.Client; c != nil {
		out.CameraOff, out.EchoCancellationFailed = c.CameraOff, c.EchoCancellationFailed
	}
	return out
}

// Canonical is the variant's canonical serialization.
func (v *Variant) Canonical() ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("variant %s seed %d: %w", v.ScenarioID, v.Seed, err)
	}
	return b, nil
}

// Duration is how long the call is played.
func (v *Variant) Duration() time.Duration { return v.Length }

// phaseAt returns the index of the phase in force at offset.
func (v *Variant) phaseAt(offset time.Duration) int {
	i := sort.Search(len(v.Phases), func(i int) bool { return v.Phases[i].At > offset })
	return max(i-1, 0)
}

// ramping returns the previous phase and the ramp's progress when offset
// falls inside the ramp of the phase in force.
func (v *Variant) ramping(offset time.Duration) (cur, prev *VariantPhase, f float64) {
	if len(v.Phases) == 0 {
		return &VariantPhase{Faults: Faults{Signaling: "none"}}, nil, 1
	}
	i := v.phaseAt(offset)
	cur = &v.Phases[i]
	if i == 0 || cur.Ramp <= 0 || offset >= cur.At+cur.Ramp {
		return cur, nil, 1
	}
	return cur, &v.Phases[i-1], float64(offset-cur.At) / float64(cur.Ramp)
}

// ImpairmentAt returns the impairments in force at offset from the start of
// the call, with ramps interpolated linearly from the previous phase. It is
// pure: the engine may call it at any offset, in any order.
func (v *Variant) ImpairmentAt(offset time.Duration) (uplink, downlink Impairment) {
	cur, prev, f := v.ramping(offset)
	if prev == nil {
		return cur.Uplink.clone(), cur.Downlink.clone()
	}
	return lerpImpairment(prev.Uplink, cur.Uplink, f), lerpImpairment(prev.Downlink, cur.Downlink, f)
}

// clone copies the burst model so callers cannot change the variant.
func (im Impairment) clone() Impairment {
	if im.Burst != nil {
		b := *im.Burst
		im.Burst = &b
	}
	return im
}

// FaultsAt returns the non-media faults in force at offset; server load
// ramps like media impairments, the rest switch at the phase start.
func (v *Variant) FaultsAt(offset time.Duration) Faults {
	cur, prev, f := v.ramping(offset)
	out := cur.Faults
	out.CodecOffer = slices.Clone(out.CodecOffer)
	if out.ServerLoad != nil {
		l := *out.ServerLoad
		out.ServerLoad = &l
	}
	if prev == nil || prev.Faults.ServerLoad == nil || out.ServerLoad == nil {
		return out
	}
	a, b := prev.Faults.ServerLoad, out.ServerLoad
	out.ServerLoad = &ServerLoad{CPU: lerp(a.CPU, b.CPU, f), Memory: lerp(a.Memory, b.Memory, f),
		Sessions: int64(lerp(float64(a.Sessions), float64(b.Sessions), f))}
	return out
}

func lerp(a, b, f float64) float64 { return a + (b-a)*f }

func lerpDur(a, b time.Duration, f float64) time.Duration {
	return a + time.Duration(float64(b-a)*f)
}

// lerpImpairment moves the numeric fields from a towards b. A rate cap (and
// its bucket and queue) or a burst model only interpolates between two
// phases that both have one: "no cap" is not a number to ramp from.
func lerpImpairment(a, b Impairment, f float64) Impairment {
	out := b.clone()
	out.Loss = lerp(a.Loss, b.Loss, f)
	out.Delay = lerpDur(a.Delay, b.Delay, f)
	out.Jitter = lerpDur(a.Jitter, b.Jitter, f)
	out.Duplicate = lerp(a.Duplicate, b.Duplicate, f)
	if a.Rate > 0 && b.Rate > 0 {
		out.Rate = int64(lerp(float64(a.Rate), float64(b.Rate), f))
		out.BurstBytes = int64(lerp(float64(a.BurstBytes), float64(b.BurstBytes), f))
		out.Queue = lerpDur(a.Queue, b.Queue, f)
	}
	if a.Burst != nil && b.Burst != nil {
		out.Burst = &GilbertElliott{P: lerp(a.Burst.P, b.Burst.P, f), R: lerp(a.Burst.R, b.Burst.R, f),
			OneMinusH: lerp(a.Burst.OneMinusH, b.Burst.OneMinusH, f),
			OneMinusK: lerp(a.Burst.OneMinusK, b.Burst.OneMinusK, f)}
	}
	return out
}
