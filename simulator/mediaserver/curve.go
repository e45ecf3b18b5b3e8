package mediaserver

import (
	"errors"
	"fmt"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// ErrInvalid matches (errors.Is) every rejected load, curve or option.
var ErrInvalid = errors.New("mediaserver: invalid")

// Load is a server's state as monitoring reports it.
type Load struct {
	// CPU and Memory are fractions of the server's capacity, 0..1.
	CPU    float64 `json:"cpu"`
	Memory float64 `json:"memory"`
	// Sessions is the number of concurrent sessions on the server.
	Sessions int `json:"sessions"`
}

// Validate rejects fractions outside 0..1 and negative session counts.
func (l Load) Validate() error {
	var errs []error
	errs = append(errs, fraction("cpu", l.CPU), fraction("memory", l.Memory))
	if l.Sessions < 0 {
		errs = append(errs, fmt.Errorf("%w: sessions %d is negative", ErrInvalid, l.Sessions))
	}
	return errors.Join(errs...)
}

// Curve is how an overloaded server degrades the media it forwards. With
// x = (cpu - Threshold) / (1 - Threshold), the overload (0 at the threshold,
// 1 at 100 % CPU), every effect grows as x squared up to its maximum:
//
//	effect = Max * x^2
//
// Convex because queueing delay grows faster than load near saturation (an
// M/M/1 queue waits rho/(1-rho)); a square rather than that pole keeps it
// finite at 100 %, where a real server sheds work (drops) instead of
// queueing forever. With the defaults: 85 % CPU adds ~8 ms delay, 5 ms
// jitter, 0.6 % loss and drops 1.6 % of frames; 90 % adds 30 ms, 20 ms,
// 2.5 %, 6 %; 95 % adds 68 ms, 45 ms, 5.6 %, 14 %; 100 % adds 120 ms,
// 80 ms, 10 %, 25 %: the jitter and loss the overload scenarios describe.
type Curve struct {
	// Threshold is the CPU fraction from which the server degrades.
	Threshold float64 `json:"threshold"`
	// MaxDelay and MaxJitter are added to the downlink at 100 % CPU; the
	// jitter is uniform, as impair's default.
	MaxDelay  time.Duration `json:"maxDelay"`
	MaxJitter time.Duration `json:"maxJitter"`
	// MaxLoss is the packet loss at 100 % CPU.
	MaxLoss float64 `json:"maxLoss"`
	// MaxFrameDrop is the probability of dropping a whole video frame at
	// 100 % CPU: a forwarding server under pressure skips frames rather than
	// single packets.
	MaxFrameDrop float64 `json:"maxFrameDrop"`
}

// DefaultThreshold is the CPU fraction above which a server counts as
// overloaded: the support playbook's 80 %.
const DefaultThreshold = 0.8

// DefaultCurve is the curve documented on Curve.
func DefaultCurve() Curve {
	return Curve{Threshold: DefaultThreshold, MaxDelay: 120 * time.Millisecond,
		MaxJitter: 80 * time.Millisecond, MaxLoss: 0.10, MaxFrameDrop: 0.25}
}

// Validate rejects a threshold outside [0,1), negative maxima and
// probabilities above 1.
func (c Curve) Validate() error {
	var errs []error
	if !(c.Threshold >= 0 && c.Threshold < 1) {
		errs = append(errs, fmt.Errorf("%w: threshold %g out of range [0,1)", ErrInvalid, c.Threshold))
	}
	if c.MaxDelay < 0 || c.MaxJitter < 0 {
		errs = append(errs, fmt.Errorf("%w: negative max delay %v or jitter %v", ErrInvalid, c.MaxDelay, c.MaxJitter))
	}
	errs = append(errs, fraction("max loss", c.MaxLoss), fraction("max frame drop", c.MaxFrameDrop))
	return errors.Join(errs...)
}

// Overload is x in the formula above: 0 up to the threshold, 1 at 100 % CPU.
func (c Curve) Overload(cpu float64) float64 {
	if cpu <= c.Threshold {
		return 0
	}
	return min(1, (cpu-c.Threshold)/(1-c.Threshold))
}

// At is the downlink overlay and the frame-drop probability of a server at
// cpu. Below the threshold both are zero.
func (c Curve) At(cpu float64) (impair.Config, float64) {
	x := c.Overload(cpu)
	f := x * x
	overlay := impair.Config{
		Delay:  time.Duration(f * float64(c.MaxDelay)),
		Jitter: time.Duration(f * float64(c.MaxJitter)),
		Loss:   f * c.MaxLoss,
	}
	return overlay, f * c.MaxFrameDrop
}

// fraction rejects v outside [0,1], NaN included; nil when it is inside.
func fraction(name string, v float64) error {
	if v >= 0 && v <= 1 {
		return nil
	}
	return fmt.Errorf("%w: %s %g out of range [0,1]", ErrInvalid, name, v)
}
