package simulator

import (
	"time"
)

// maxLog bounds a session's log: a call that logs in a loop must not grow
// without end.
const maxLog = 2000

// smoothingWindow is how many samples the healthy check averages.
const smoothingWindow = 3

// Status is the engine's verdict on the fault so far.
type Status struct {
	// Offset is the timeline position the status describes.
	Offset time.Duration `json:"offset"`
	// Resolved is true once the metrics stayed within the scenario's healthy
	// bounds for 10 s (after the first remedy, when there is one).
	Resolved bool `json:"resolved"`
	// ResolvedAt is the timeline offset at which the 10 s were complete.
	ResolvedAt time.Duration `json:"resolvedAt"`
	// TimeToRecover is from the first remedy to the start of the healthy
	// stretch; zero when no remedy was applied.
	TimeToRecover time.Duration `json:"timeToRecover"`
	// Healthy says whether the latest sample is within the bounds.
	Healthy bool `json:"healthy"`
}

// observe takes one call sample: stamps it with the timeline offset and the
// server's load, keeps it, judges health and passes it on.
func (s *Session) observe(smp Sample) {
	smp.Offset += s.offset
	smp.Timestamp = smp.Offset.Seconds()
	smp.ServerCPU = s.serverCPU()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.series = append(s.series, smp)
	window := s.series[max(0, len(s.series)-smoothingWindow):]
	healthy := s.sc.HealthyBounds().Holds(smoothed(window))
	firstAction := time.Duration(-1)
	if len(s.actions) > 0 {
		firstAction = s.actions[0].At
	}
	switch {
	case !healthy:
		s.healthy = -1
	case s.healthy < 0 && (firstAction < 0 || smp.Offset >= firstAction):
		s.healthy = smp.Offset
	}
	if s.resolved < 0 && s.healthy >= 0 && smp.Offset-s.healthy >= healthyHold {
		s.resolved = smp.Offset
	}
	for _, ch := range s.subs {
		select {
		case ch <- smp:
		default:
		}
	}
}

// Status returns the verdict so far.
func (s *Session) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Healthy: s.healthy >= 0}
	if n := len(s.series); n > 0 {
		st.Offset = s.series[n-1].Offset
	}
	if s.resolved >= 0 {
		st.Resolved, st.ResolvedAt = true, s.resolved
		start := s.resolved - healthyHold
		if len(s.actions) > 0 && start >= s.actions[0].At {
			st.TimeToRecover = start - s.actions[0].At
		}
	}
	return st
}

// record keeps one log event (from the call or the session).
func (s *Session) record(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, e)
	if len(s.log) > maxLog {
		s.log = s.log[len(s.log)-maxLog:]
	}
}

// Log returns the session's log so far.
func (s *Session) Log() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.log...)
}

// Actions returns the remedies applied so far.
func (s *Session) Actions() []Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Action(nil), s.actions...)
}

// Series returns every sample so far, on the timeline's clock.
func (s *Session) Series() []Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sample(nil), s.series...)
}

// Latest returns the newest sample, without copying the series: what a
// metrics scrape or a status line needs. ok is false before the first one.
func (s *Session) Latest() (Sample, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.series) == 0 {
		return Sample{}, false
	}
	return s.series[len(s.series)-1], true
}

// Subscribe returns a channel of the session's samples and a cancel
// function; the channel closes on cancel or Close.
func (s *Session) Subscribe() (<-chan Sample, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan Sample, 64)
	if s.closed {
		close(ch)
		return ch, func() {}
	}
	id := s.nextSub
	s.nextSub++
	s.subs[id] = ch
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c, ok := s.subs[id]; ok {
			close(c)
			delete(s.subs, id)
		}
	}
}
