package netpath

import (
	"math"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// Combine is the impairment of two links in series, a then b: what one
// impair.Config must do for a call to see both.
//
//   - Delays add, and so do the means the jitters add (MeanDelay of the
//     result is the sum of the two MeanDelays).
//   - Jitters combine as the root of the sum of squares, which is exact for
//     the variance of a sum of two independent draws of the same shape; the
//     result takes the heavier-tailed shape of the two (pareto over normal
//     over uniform), and the difference between the means the parts add and
//     the mean the combined jitter adds moves into Delay, so the mean stays
//     exact too. The shape of a sum is not that of its parts: this keeps the
//     first two moments, which is what RTT and RFC 3550 jitter show.
//   - Losses combine as 1 - (1-a)(1-b). When one side is Gilbert-Elliott its
//     bursts are kept and the other side's loss is folded into both of its
//     states; when both are, the burstier chain (longer mean burst) is kept
//     and the other's stationary rate is folded in.
//   - Duplication combines like loss; Reorder and Outage are or'ed.
//   - Rate is the smaller non-zero cap, with that cap's Burst and Queue.
func Combine(a, b impair.Config) impair.Config {
	c := impair.Config{
		Duplicate: either(a.Duplicate, b.Duplicate),
		Reorder:   a.Reorder || b.Reorder,
		Outage:    a.Outage || b.Outage,
	}
	combineLoss(&c, a, b)
	combineDelay(&c, a, b)
	switch {
	case a.Rate == 0 || (b.Rate != 0 && b.Rate < a.Rate):
		c.Rate, c.Burst, c.Queue = b.Rate, b.Burst, b.Queue
	default:
		c.Rate, c.Burst, c.Queue = a.Rate, a.Burst, a.Queue
	}
	return c
}

func combineDelay(c *impair.Config, a, b impair.Config) {
	c.Jitter = time.Duration(math.Round(math.Hypot(float64(a.Jitter), float64(b.Jitter))))
	switch {
	case a.Jitter == 0:
		c.Distribution = b.Distribution
	case b.Jitter == 0:
		c.Distribution = a.Distribution
	case tail(b.Distribution) > tail(a.Distribution):
		c.Distribution = b.Distribution
	default:
		c.Distribution = a.Distribution
	}
	// Never negative: the heavier shape adds the smallest mean per unit of
	// jitter, and the combined jitter is at most the sum of the parts.
	c.Delay = a.MeanDelay() + b.MeanDelay() - c.MeanJitter()
}

// tail ranks the jitter shapes by how heavy their tail is.
func tail(d impair.Distribution) int {
	switch d {
	case impair.DistPareto:
		return 2
	case impair.DistNormal:
		return 1
	default:
		return 0
	}
}

func combineLoss(c *impair.Config, a, b impair.Config) {
	switch {
	case a.GE == nil && b.GE == nil:
		c.Loss = either(a.Loss, b.Loss)
	case a.GE != nil && b.GE != nil:
		keep, other := a.GE, b.GE
		if other.MeanBurstLength() > keep.MeanBurstLength() {
			keep, other = other, keep
		}
		c.GE = foldLoss(*keep, other.LossRate())
	case a.GE != nil:
		c.GE = foldLoss(*a.GE, b.Loss)
	default:
		c.GE = foldLoss(*b.GE, a.Loss)
	}
}

// foldLoss adds an independent Bernoulli loss p to both states of a chain.
func foldLoss(g impair.GilbertElliott, p float64) *impair.GilbertElliott {
	g.OneMinusH = either(g.OneMinusH, p)
	g.OneMinusK = either(g.OneMinusK, p)
	return &g
}

// either is the probability that at least one of two independent events
// happens, exact when one cannot: a link that loses nothing must not change
// the other's figure by a rounding error.
func either(a, b float64) float64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	default:
		return 1 - (1-a)*(1-b)
	}
}

// LossRate is the long-run loss probability of c, Bernoulli or
// Gilbert-Elliott; an outage loses everything.
func LossRate(c impair.Config) float64 {
	switch {
	case c.Outage:
		return 1
	case c.GE != nil:
		return c.GE.LossRate()
	default:
		return c.Loss
	}
}
