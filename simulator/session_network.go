package simulator

import (
	"math"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// networkProfile is the impairment a healthy access network of a type adds.
func networkProfile(network string) impair.Config {
	switch network {
	case "4g":
		return impair.Config{Delay: 25 * time.Millisecond, Jitter: 5 * time.Millisecond, Loss: 0.002}
	case "5g":
		return impair.Config{Delay: 12 * time.Millisecond, Jitter: 3 * time.Millisecond, Loss: 0.001}
	case "wifi":
		return impair.Config{Delay: 8 * time.Millisecond, Jitter: 4 * time.Millisecond, Loss: 0.002}
	default:
		return impair.Config{Delay: 3 * time.Millisecond, Jitter: time.Millisecond}
	}
}

// combine stacks two impairments on one path.
func combine(a, b impair.Config) impair.Config {
	c := a
	c.Delay += b.Delay
	c.Jitter = time.Duration(math.Hypot(float64(a.Jitter), float64(b.Jitter)))
	if c.GE == nil {
		c.Loss = 1 - (1-a.Loss)*(1-b.Loss)
	}
	if b.Rate > 0 && (c.Rate == 0 || b.Rate < c.Rate) {
		c.Rate = b.Rate
	}
	c.Outage = a.Outage || b.Outage
	return c
}
