package impair

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// jitterWarmup is how many packets the RFC 3550 estimate needs to forget its
// zero start: its gain is 1/16, so 160 packets leave e^-10 of the start.
const jitterWarmup = 160

// ExpectedJitter is a Monte Carlo estimate of the RFC 3550 interarrival
// jitter a receiver measures when a sender emits one packet every interval
// through c's delay, jitter and reordering rule. It runs n packets through the
// same code the Interceptor uses, seeded with seed, and returns the mean of
// the running estimate after a warm-up (the first min(160, n/2) packets), which
// is what an average over many RTCP receiver reports approaches (convert a
// report's jitter from RTP timestamp units by dividing by the clock rate).
// Loss, duplication, outage and the rate cap are not modelled: loss only
// removes samples, and a rate cap adds a queueing delay that depends on
// packet sizes. It returns 0 when n < 2.
func ExpectedJitter(c Config, interval time.Duration, n int, seed uint64) time.Duration {
	if n < 2 {
		return 0
	}
	path := Config{Delay: c.Delay, Jitter: c.Jitter, Distribution: c.Distribution, Reorder: c.Reorder}
	l := newLink(path, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)))
	var base time.Time
	sent := make([]time.Duration, n)
	arrived := make([]time.Duration, n)
	for i := range n {
		sent[i] = time.Duration(i) * interval
		f := l.admit(base.Add(sent[i]), 0, nil)
		arrived[i] = f.release[0].Sub(base)
	}
	return meanInterarrivalJitter(sent, arrived)
}

// meanInterarrivalJitter runs the RFC 3550 (section 6.4.1) estimator over
// packets in the order they arrived, with sent standing in for the RTP
// timestamps, and averages the estimate after the warm-up.
func meanInterarrivalJitter(sent, arrived []time.Duration) time.Duration {
	n := len(sent)
	if n < 2 {
		return 0
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(arrived[a], arrived[b])
	})
	warm := min(jitterWarmup, n/2)
	var j, sum float64
	for k := 1; k < n; k++ {
		prev, cur := order[k-1], order[k]
		d := float64((arrived[cur] - arrived[prev]) - (sent[cur] - sent[prev]))
		j += (math.Abs(d) - j) / 16
		if k >= warm {
			sum += j
		}
	}
	return time.Duration(sum / float64(n-warm))
}
