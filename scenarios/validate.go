package scenarios

import "time"

// Bounds on a timeline: beyond them an exercise stops being a call a trainee
// can diagnose in one sitting, or the engine stops being faithful.
const (
	minCallLength = 10 * time.Second
	maxCallLength = 10 * time.Minute
	maxDelay      = 10 * time.Second
	maxJitter     = 5 * time.Second
	maxQueue      = 10 * time.Second
	minRate       = 8_000
)

// validate checks what types alone cannot: order, consistency between
// fields and, with a catalog, that every id exists.
func (s *Scenario) validate(rep *report, cat *Catalog) {
	if s.HandlingTime <= 0 {
		rep.atPath("handling_time", "must be longer than 0s")
	}
	s.validateTimeline(rep)
	s.validateAnswer(rep, cat)
}

func (s *Scenario) validateTimeline(rep *report) {
	lenLo, lenHi := s.CallLength.Bounds()
	if s.CallLength.IsSet() && (lenLo < float64(minCallLength) || lenHi > float64(maxCallLength)) {
		rep.atPath("duration", "a call lasts from %s to %s", minCallLength, maxCallLength)
	}
	var prevEnd float64
	for i, ph := range s.Timeline {
		p := indexPath("timeline", i)
		atLo, atHi := ph.At.Bounds()
		_, rampHi := ph.Ramp.Bounds()
		switch {
		case i == 0 && atHi != 0:
			rep.atPath(p+".at", "the first phase starts at 0s")
		case i == 0 && ph.Ramp.IsSet():
			rep.atPath(p+".ramp", "the first phase cannot ramp: nothing comes before it")
		case i > 0 && atLo <= s.phaseStartHi(i-1):
			rep.atPath(p+".at", "phases must start in order: %s is not after the previous phase's %s",
				formatUnit(unitDuration, atLo), formatUnit(unitDuration, s.phaseStartHi(i-1)))
		case i > 0 && atLo < prevEnd:
			rep.atPath(p+".at", "the previous phase's ramp runs until %s, past this start",
				formatUnit(unitDuration, prevEnd))
		}
		prevEnd = atHi + rampHi
		if s.CallLength.IsSet() && prevEnd >= lenLo {
			rep.atPath(p+".at", "the phase (with its ramp) must start before the call ends at %s",
				formatUnit(unitDuration, lenLo))
		}
		validateImpairment(rep, p+".uplink", ph.Uplink)
		validateImpairment(rep, p+".downlink", ph.Downlink)
		validateFaults(rep, p+".faults", ph.Faults)
	}
}

func (s *Scenario) phaseStartHi(i int) float64 {
	_, hi := s.Timeline[i].At.Bounds()
	return hi
}

func validateImpairment(rep *report, p string, im *ImpairmentSpec) {
	if im == nil {
		return
	}
	above := func(sp spec, limit time.Duration) bool { _, hi := sp.Bounds(); return hi > float64(limit) }
	if im.Loss.IsSet() && im.Burst != nil {
		rep.atPath(p+".burst", "use loss or burst, not both: burst is a loss model of its own")
	}
	if im.Burst != nil {
		if lo, _ := im.Burst.R.Bounds(); im.Burst.R.IsSet() && lo == 0 {
			rep.atPath(p+".burst.r", "must be above 0%%: the model would never leave the bad state")
		}
	}
	if im.Distribution != "" && !im.Jitter.IsSet() {
		rep.atPath(p+".distribution", "a distribution needs jitter")
	}
	if im.Reorder && !im.Jitter.IsSet() {
		rep.atPath(p+".reorder", "reorder needs jitter")
	}
	if im.BurstBytes.IsSet() && !im.Rate.IsSet() {
		rep.atPath(p+".burst_bytes", "burst_bytes needs a rate")
	}
	if im.Queue.IsSet() && !im.Rate.IsSet() {
		rep.atPath(p+".queue", "queue needs a rate")
	}
	if lo, _ := im.Rate.Bounds(); im.Rate.IsSet() && lo < minRate {
		rep.atPath(p+".rate", "a rate under 8kbps carries no media; write outage: true instead")
	}
	if above(im.Delay.spec, maxDelay) {
		rep.atPath(p+".delay", "over %s one way is no longer a call", maxDelay)
	}
	if above(im.Jitter.spec, maxJitter) {
		rep.atPath(p+".jitter", "over %s is not jitter but an outage", maxJitter)
	}
	if above(im.Queue.spec, maxQueue) {
		rep.atPath(p+".queue", "a queue over %s is not a real bottleneck", maxQueue)
	}
}

func validateFaults(rep *report, p string, f *FaultSpec) {
	if f == nil || f.Signaling == nil {
		return
	}
	slow := f.Signaling.Mode == "slow"
	switch {
	case slow && !f.Signaling.Delay.IsSet():
		rep.atPath(p+".signaling", "mode slow needs a delay")
	case !slow && f.Signaling.Delay.IsSet():
		rep.atPath(p+".signaling.delay", "only mode slow takes a delay")
	}
}

func (s *Scenario) validateAnswer(rep *report, cat *Catalog) {
	a := s.Answer
	ev := a.Evidence
	switch {
	case len(ev.Metrics) == 0 && len(ev.Logs) == 0:
		rep.atPath("answer.evidence", "needs at least one metric condition or log pattern")
	case len(ev.Metrics) == 0 && s.RunnableOnMediaEngine():
		rep.atPath("answer.evidence.metrics",
			"the media engine plays this scenario, so name a metric its symptom shows in")
	}
	if cat == nil {
		return
	}
	if _, err := cat.Cause(string(a.RootCause)); a.RootCause != "" && err != nil {
		rep.atPath("answer.root_cause", "unknown cause %q (not in the catalog)", a.RootCause)
	}
	for i, c := range a.Contributing {
		if _, err := cat.Cause(string(c)); err != nil {
			rep.atPath(indexPath("answer.contributing", i), "unknown cause %q (not in the catalog)", c)
		} else if c == a.RootCause {
			rep.atPath(indexPath("answer.contributing", i), "%q is already the root cause", c)
		}
	}
	listed := make(map[Slug]string)
	escalates, unknown := false, false
	for _, l := range []struct {
		name string
		ids  []Slug
	}{{"resolves", a.Resolves}, {"accepted", a.Accepted}, {"harmful", a.Harmful}} {
		for i, id := range l.ids {
			p := indexPath("answer."+l.name, i)
			r, err := cat.Remedy(string(id))
			switch {
			case err != nil:
				unknown = unknown || l.name == "resolves"
				rep.atPath(p, "unknown remedy %q (not in the catalog)", id)
			case listed[id] != "" && listed[id] != l.name:
				rep.atPath(p, "remedy %q is already in %s", id, listed[id])
			case l.name == "resolves" && r.Effect.Kind == "escalate":
				escalates = true
			}
			if listed[id] == "" {
				listed[id] = l.name
			}
		}
	}
	// An unknown resolving remedy might be the escalation; saying so twice
	// would only confuse.
	switch {
	case a.Escalate && !escalates && !unknown:
		rep.atPath("answer.escalate", "escalate is true, so a resolving remedy must escalate")
	case !a.Escalate && escalates:
		rep.atPath("answer.escalate", "a resolving remedy escalates, so escalate must be true")
	}
}
