// Package emodel estimates a call's speech quality (MOS) from its one-way
// delay and packet loss with the ITU-T G.107 E-model, reduced to the terms a
// WebRTC call changes: R = 93.2 - Id - Ie,eff. Every other G.107 term keeps
// its default value, so 93.2 is the best a call can score.
//
// The E-model is a planning tool: it predicts what an average listener would
// say about a connection with these figures, not what a given customer hears.
// Trainees use it to connect objective figures (RTT, loss) with the
// subjective complaint ("the audio is choppy").
package emodel

import (
	"math"
	"time"
)

// Codec holds the two E-model constants of a speech codec with its packet-loss
// concealment: the equipment impairment Ie (quality lost to coding alone) and
// the packet-loss robustness Bpl (how well concealment hides losses; higher is
// more robust).
type Codec struct {
	Name string
	Ie   float64
	Bpl  float64
}

// The codec constants live here and nowhere else, so a better fit for Opus is
// a one-line change.
const (
	// ITU-T publishes no Ie/Bpl for Opus. These are an empirical fit for
	// Opus at 40 kbit/s VBR, super-wideband, under random loss, taken from
	// the project's domain notes (/work/shared/notes/domain.md, "E-model");
	// they put a loss-free Opus call at R 82.5 (MOS ~4.1), below G.711's
	// 93.2 on the narrowband scale, and make it degrade faster with loss.
	opusIe  = 10.7
	opusBpl = 9.8

	// ITU-T G.113 Appendix I: G.711 with packet-loss concealment.
	g711Ie  = 0
	g711Bpl = 25.1
)

// Opus returns the constants used for Opus speech (see the opus constants for
// the source and why there is no ITU value).
func Opus() Codec { return Codec{Name: "opus", Ie: opusIe, Bpl: opusBpl} }

// G711 returns ITU-T G.113 Appendix I's G.711 with packet-loss concealment,
// the usual reference point for comparing against Opus.
func G711() Codec { return Codec{Name: "g711", Ie: g711Ie, Bpl: g711Bpl} }

// BurstR returns G.107's burst ratio for a two-state (Gilbert) loss model with
// p = P(loss | previous received) and r = P(received | previous lost):
// 1 / (p + r). Random loss has p + r = 1, hence BurstR 1; bursty loss has
// p + r < 1 and BurstR > 1. Probabilities are clamped to [0, 1]; a model with
// no transitions at all (p + r = 0) or NaN inputs yields 1, treating the loss
// as random rather than returning a meaningless infinity.
func BurstR(p, r float64) float64 {
	p, r = clamp(p, 0, 1), clamp(r, 0, 1)
	if p+r == 0 || math.IsNaN(p+r) {
		return 1
	}
	return 1 / (p + r)
}

// R returns the transmission rating factor for a call. The delay term is the
// widely used simplification of G.107's Id: 0.024 d + 0.11 (d - 177.3) above
// 177.3 ms, with d the one-way mouth-to-ear delay in ms. Inputs are sanitised
// so the result is never NaN: negative delay counts as 0, loss is clamped to
// [0, 100] % (NaN loss counts as total loss, the conservative reading), and a
// burst ratio below 0.5 (impossible for a Gilbert model) or NaN counts as 1.
func R(oneWayDelay time.Duration, lossPercent, burstR float64, c Codec) float64 {
	d := math.Max(float64(oneWayDelay)/float64(time.Millisecond), 0)
	id := 0.024 * d
	if d > 177.3 {
		id += 0.11 * (d - 177.3)
	}

	ppl := lossPercent
	if math.IsNaN(ppl) {
		ppl = 100
	}
	ppl = clamp(ppl, 0, 100)
	if math.IsNaN(burstR) || burstR < 0.5 {
		burstR = 1
	}
	ieEff := c.Ie
	if ppl > 0 {
		ieEff += (95 - c.Ie) * ppl / (ppl/burstR + c.Bpl)
	}
	return 93.2 - id - ieEff
}

// MOS maps a rating factor to G.107 Annex B's mean opinion score, 1 to 4.5.
// The Annex B polynomial dips to 0.99 for 0 < R < 6.5; the result is held at 1
// there so that MOS never rises as R falls and never leaves the 1-5 scale.
// NaN maps to 1 so that a broken input reads as the worst quality rather
// than propagating.
func MOS(r float64) float64 {
	switch {
	case math.IsNaN(r) || r < 0:
		return 1
	case r > 100:
		return 4.5
	}
	return math.Max(1, 1+0.035*r+r*(r-60)*(100-r)*7e-6)
}

// Estimate returns MOS(R(...)): the score a trainee sees for a call.
func Estimate(oneWayDelay time.Duration, lossPercent, burstR float64, c Codec) float64 {
	return MOS(R(oneWayDelay, lossPercent, burstR, c))
}

func clamp(v, lo, hi float64) float64 {
	return math.Min(math.Max(v, lo), hi)
}
