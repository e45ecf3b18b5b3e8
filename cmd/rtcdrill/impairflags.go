package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// impairFlags are the impairment flags of `rtcdrill run`: unprefixed ones
// set both directions, `up-` and `down-` ones override one direction.
type impairFlags struct {
	fs     *flag.FlagSet
	values map[string]*string
	bools  map[string]*bool
}

var impairFlagHelp = []struct{ name, help string }{
	{"loss", "random loss, e.g. 10%"},
	{"burst", "bursty loss as Gilbert-Elliott p,r,1-h,1-k (netem gemodel), e.g. 5%,40%,100%,0%"},
	{"delay", "constant one-way delay, e.g. 80ms"},
	{"jitter", "delay variation, e.g. 30ms"},
	{"distribution", "jitter distribution: uniform, normal or pareto"},
	{"rate", "bandwidth cap, e.g. 800kbps or 2Mbps"},
	{"queue", "drop-tail queue at the cap, as time, e.g. 100ms"},
	{"duplicate", "duplication probability, e.g. 1%"},
}

func newImpairFlags(fs *flag.FlagSet) *impairFlags {
	f := &impairFlags{fs: fs, values: map[string]*string{}, bools: map[string]*bool{}}
	for _, prefix := range []string{"", "up-", "down-"} {
		scope := "both directions"
		switch prefix {
		case "up-":
			scope = "uplink only"
		case "down-":
			scope = "downlink only"
		}
		for _, h := range impairFlagHelp {
			f.values[prefix+h.name] = fs.String(prefix+h.name, "", h.help+" ("+scope+")")
		}
		f.bools[prefix+"reorder"] = fs.Bool(prefix+"reorder", false, "let jitter reorder packets ("+scope+")")
		f.bools[prefix+"outage"] = fs.Bool(prefix+"outage", false, "drop everything ("+scope+")")
	}
	return f
}

// configs returns the uplink and downlink impairment the flags describe.
func (f *impairFlags) configs() (up, down impair.Config, err error) {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if up, err = f.config("up-", set); err != nil {
		return up, down, err
	}
	down, err = f.config("down-", set)
	return up, down, err
}

func (f *impairFlags) config(prefix string, set map[string]bool) (impair.Config, error) {
	var c impair.Config
	pick := func(name string) (string, string, bool) {
		if set[prefix+name] {
			return prefix + name, *f.values[prefix+name], true
		}
		if set[name] {
			return name, *f.values[name], true
		}
		return "", "", false
	}
	var err error
	if n, v, ok := pick("loss"); ok && err == nil {
		c.Loss, err = percent(n, v)
	}
	if n, v, ok := pick("burst"); ok && err == nil {
		c.GE, err = gilbert(n, v)
	}
	if n, v, ok := pick("delay"); ok && err == nil {
		c.Delay, err = scenarios.ParseDuration(v)
		err = flagErr(n, v, err)
	}
	if n, v, ok := pick("jitter"); ok && err == nil {
		c.Jitter, err = scenarios.ParseDuration(v)
		err = flagErr(n, v, err)
	}
	if _, v, ok := pick("distribution"); ok && err == nil {
		c.Distribution = impair.Distribution(v)
	}
	if n, v, ok := pick("rate"); ok && err == nil {
		c.Rate, err = scenarios.ParseBitrate(v)
		err = flagErr(n, v, err)
	}
	if n, v, ok := pick("queue"); ok && err == nil {
		c.Queue, err = scenarios.ParseDuration(v)
		err = flagErr(n, v, err)
	}
	if n, v, ok := pick("duplicate"); ok && err == nil {
		c.Duplicate, err = percent(n, v)
	}
	if err != nil {
		return c, err
	}
	c.Reorder = *f.bools[prefix+"reorder"] || *f.bools["reorder"]
	c.Outage = *f.bools[prefix+"outage"] || *f.bools["outage"]
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("%simpairment: %w", prefix, err)
	}
	return c, nil
}

func percent(name, v string) (float64, error) {
	p, err := scenarios.ParsePercent(v)
	return p, flagErr(name, v, err)
}

func gilbert(name, v string) (*impair.GilbertElliott, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return nil, fmt.Errorf("--%s %q: want four values p,r,1-h,1-k", name, v)
	}
	var xs [4]float64
	for i, p := range parts {
		x, err := scenarios.ParsePercent(strings.TrimSpace(p))
		if err != nil {
			// Plain probabilities (0.05) are accepted too.
			if f, ferr := strconv.ParseFloat(strings.TrimSpace(p), 64); ferr == nil && f >= 0 && f <= 1 {
				x, err = f, nil
			}
		}
		if err != nil {
			return nil, flagErr(name, v, err)
		}
		xs[i] = x
	}
	return &impair.GilbertElliott{P: xs[0], R: xs[1], OneMinusH: xs[2], OneMinusK: xs[3]}, nil
}

func flagErr(name, v string, err error) error {
	if err != nil {
		return fmt.Errorf("--%s %q: %w", name, v, err)
	}
	return nil
}
