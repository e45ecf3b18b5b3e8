package impair

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Distribution names the shape of the jitter added on top of Config.Delay.
type Distribution string

// The jitter distributions. Every one adds a non-negative amount to Delay,
// because the propagation delay is a floor a real path never undercuts;
// queueing only ever adds to it.
const (
	// DistUniform draws from [0, 2*Jitter): Delay+Jitter plus or minus Jitter.
	// It is the default; the zero Distribution means uniform.
	DistUniform Distribution = "uniform"
	// DistNormal draws the absolute value of a normal variate with sigma
	// Jitter (a half-normal), whose mean is Jitter*sqrt(2/pi).
	DistNormal Distribution = "normal"
	// DistPareto draws Jitter*(U^(-1/ParetoShape) - 1): a Pareto with scale
	// Jitter moved to start at zero, whose mean is Jitter/(ParetoShape-1).
	// It gives rare, long spikes like a congested wireless hop; a draw is
	// capped at 100*Jitter.
	DistPareto Distribution = "pareto"
)

// ParetoShape is the shape (alpha) of DistPareto. 3 keeps the variance
// finite, so RFC 3550 jitter converges and can be predicted by ExpectedJitter,
// while the tail stays heavy (one packet in ~1300 waits more than 10*Jitter).
const ParetoShape = 3.0

// Defaults applied when the matching Config field is zero.
const (
	// DefaultQueue is the drop-tail queue limit, as time at Rate.
	DefaultQueue = 100 * time.Millisecond
	// MinBurst is the smallest default token-bucket depth: two full-size
	// packets, so a lone packet never waits on an idle link.
	MinBurst = 2 * mtu
	// mtu bounds the queue from below: a queue that cannot hold one
	// full-size packet would drop every packet that has to wait.
	mtu = 1500
)

// ErrInvalidConfig matches (errors.Is) every error Config.Validate returns.
var ErrInvalidConfig = errors.New("impair: invalid config")

// invalidField keeps the message to the field and its problem while still
// matching ErrInvalidConfig.
type invalidField string

func invalid(msg string) error { return invalidField(msg) }

func (e invalidField) Error() string { return "impair: " + string(e) }

func (e invalidField) Is(target error) bool { return target == ErrInvalidConfig }

// GilbertElliott is netem's gemodel: a two-state Markov chain that makes loss
// bursty. P = P(good->bad), R = P(bad->good), OneMinusH = loss probability in
// the bad state, OneMinusK = loss probability in the good state. As in netem,
// a packet's fate is drawn in the state the chain is in when it arrives, then
// the chain moves.
type GilbertElliott struct {
	P, R, OneMinusH, OneMinusK float64
}

// stationaryBad is the long-run share of packets that arrive in the bad state.
// A chain that never moves (P = R = 0) stays in the good state it starts in.
func (g GilbertElliott) stationaryBad() float64 {
	if g.P+g.R == 0 {
		return 0
	}
	return g.P / (g.P + g.R)
}

// LossRate is the stationary loss probability:
// pi_bad*(1-h) + pi_good*(1-k), with pi_bad = P/(P+R).
func (g GilbertElliott) LossRate() float64 {
	bad := g.stationaryBad()
	return bad*g.OneMinusH + (1-bad)*g.OneMinusK
}

// MeanBurstLength is the expected length of a run of consecutive losses in the
// stationary chain: the number of losses divided by the number of runs, that is
// P(loss) / P(loss, then no loss), where
//
//	P(loss, then no loss) = sum over states s of pi_s * l_s * sum over s' of T(s,s') * (1 - l_s')
//
// with l_good = 1-k, l_bad = 1-h and T the transition matrix. For the simple
// Gilbert model (1-h = 1, 1-k = 0) it reduces to 1/R. It is 0 when nothing is
// lost and +Inf when everything is.
func (g GilbertElliott) MeanBurstLength() float64 {
	loss := g.LossRate()
	if loss == 0 {
		return 0
	}
	bad := g.stationaryBad()
	lg, lb := g.OneMinusK, g.OneMinusH
	fromGood := (1-g.P)*(1-lg) + g.P*(1-lb)
	fromBad := g.R*(1-lg) + (1-g.R)*(1-lb)
	ends := (1-bad)*lg*fromGood + bad*lb*fromBad
	if ends == 0 {
		return math.Inf(1)
	}
	return loss / ends
}

// Config is one direction's impairment. The zero Config impairs nothing.
type Config struct {
	// Loss is the Bernoulli loss probability, 0..1; ignored when GE != nil.
	Loss float64
	// GE replaces Loss with bursty Gilbert-Elliott loss when not nil.
	GE *GilbertElliott
	// Delay is the constant one-way delay, the floor of every packet's delay.
	Delay time.Duration
	// Jitter is the spread of Distribution added on top of Delay: uniform
	// +-Jitter around Delay+Jitter, normal sigma, pareto scale (see the
	// Dist constants; MeanJitter gives the mean it adds).
	Jitter time.Duration
	// Distribution is the jitter shape; "" means DistUniform.
	Distribution Distribution
	// Reorder lets a packet with a short jitter draw overtake an earlier one.
	// When false a packet is never released before the one sent before it on
	// any stream (the direction is one path), which is what most real paths
	// do; jitter larger than the packet spacing is then partly absorbed.
	Reorder bool
	// Rate caps the throughput in bit/s with a token bucket; 0 = unlimited.
	Rate int64
	// Burst is the token-bucket depth in bytes. 0 means 10 ms worth of Rate,
	// but at least MinBurst (two full-size packets).
	Burst int
	// Queue is the drop-tail queue in front of the bucket, as time at Rate
	// (bytes = Queue*Rate/8, never less than one 1500-byte packet);
	// 0 = DefaultQueue.
	Queue time.Duration
	// Duplicate is the probability that a packet is sent twice, 0..1. The
	// copy goes through the rate cap and gets its own delay draw.
	Duplicate float64
	// Outage loses everything while true.
	Outage bool
}

// Validate reports every out-of-range field, each error naming its field
// ("impair: loss 1.5 out of range [0,1]"), each matching ErrInvalidConfig
// with errors.Is.
func (c Config) Validate() error {
	var errs []error
	prob := func(name string, v float64) {
		if !(v >= 0 && v <= 1) { // also rejects NaN
			errs = append(errs, invalid(fmt.Sprintf("%s %g out of range [0,1]", name, v)))
		}
	}
	nonNegative := func(name string, negative bool, v any) {
		if negative {
			errs = append(errs, invalid(fmt.Sprintf("%s %v is negative", name, v)))
		}
	}
	prob("loss", c.Loss)
	if c.GE != nil {
		prob("gilbert-elliott p", c.GE.P)
		prob("gilbert-elliott r", c.GE.R)
		prob("gilbert-elliott 1-h", c.GE.OneMinusH)
		prob("gilbert-elliott 1-k", c.GE.OneMinusK)
	}
	prob("duplicate", c.Duplicate)
	nonNegative("delay", c.Delay < 0, c.Delay)
	nonNegative("jitter", c.Jitter < 0, c.Jitter)
	nonNegative("rate", c.Rate < 0, c.Rate)
	nonNegative("burst", c.Burst < 0, c.Burst)
	nonNegative("queue", c.Queue < 0, c.Queue)
	switch c.Distribution {
	case "", DistUniform, DistNormal, DistPareto:
	default:
		errs = append(errs, invalid(fmt.Sprintf("distribution %q unknown (want uniform, normal or pareto)", c.Distribution)))
	}
	return errors.Join(errs...)
}

// IsZero reports whether c impairs nothing: no loss, delay, jitter, rate cap,
// duplication or outage. Distribution, Reorder, Burst and Queue alone do not
// count, since they only shape an impairment that is off.
func (c Config) IsZero() bool {
	lossless := c.Loss == 0
	if c.GE != nil {
		lossless = c.GE.OneMinusH == 0 && c.GE.OneMinusK == 0
	}
	return lossless && c.Delay == 0 && c.Jitter == 0 && c.Rate == 0 && c.Duplicate == 0 && !c.Outage
}

// MeanJitter is the mean that the jitter distribution adds to Delay.
func (c Config) MeanJitter() time.Duration {
	j := float64(c.Jitter)
	switch c.Distribution {
	case DistNormal:
		return time.Duration(j * math.Sqrt(2/math.Pi))
	case DistPareto:
		return time.Duration(j / (ParetoShape - 1))
	default:
		return c.Jitter
	}
}

// MeanDelay is the mean one-way delay the config adds, before any queueing
// at the rate cap and before the no-reordering rule, which only ever adds.
func (c Config) MeanDelay() time.Duration {
	return c.Delay + c.MeanJitter()
}

// burstBytes is the token-bucket depth in effect.
func (c Config) burstBytes() float64 {
	if c.Burst > 0 {
		return float64(c.Burst)
	}
	return math.Max(MinBurst, float64(c.Rate)/8/100)
}

// queueBytes is the drop-tail queue limit in effect.
func (c Config) queueBytes() float64 {
	q := c.Queue
	if q == 0 {
		q = DefaultQueue
	}
	return math.Max(mtu, q.Seconds()*float64(c.Rate)/8)
}
