package simulator

import (
	"time"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// ImpairmentOf maps a scenario's concrete impairment to the engine's. The
// scenario format mirrors impair.Config field by field, so this is the one
// place the two meet.
func ImpairmentOf(s scenarios.Impairment) impair.Config {
	c := impair.Config{
		Loss:         s.Loss,
		Delay:        s.Delay,
		Jitter:       s.Jitter,
		Distribution: impair.Distribution(s.Distribution),
		Reorder:      s.Reorder,
		Rate:         s.Rate,
		Burst:        int(s.BurstBytes),
		Queue:        s.Queue,
		Duplicate:    s.Duplicate,
		Outage:       s.Outage,
	}
	if s.Burst != nil {
		c.GE = &impair.GilbertElliott{P: s.Burst.P, R: s.Burst.R, OneMinusH: s.Burst.OneMinusH, OneMinusK: s.Burst.OneMinusK}
	}
	return c
}

// ImpairmentsAt returns the engine's uplink and downlink impairment at an
// offset of a scenario variant's timeline, ramps included.
func ImpairmentsAt(v *scenarios.Variant, offset time.Duration) (up, down impair.Config) {
	u, d := v.ImpairmentAt(offset)
	return ImpairmentOf(u), ImpairmentOf(d)
}
