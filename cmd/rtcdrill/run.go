package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/encoder"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// runCmd runs `rtcdrill run`: one live call, impaired by flags or by a
// scenario file's timeline, printed second by second.
func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	imp := newImpairFlags(fs)
	duration := fs.Duration("duration", 30*time.Second, "how long the call runs")
	seed := fs.Uint64("seed", 1, "random seed (impairments, encoder; scenario variant)")
	resolution := fs.String("resolution", "720p", "video rendition: 1080p, 720p or 360p")
	noCC := fs.Bool("no-cc", false, "turn congestion control off (open-loop sender at the rendition's ceiling)")
	asJSON := fs.Bool("json", false, "print one JSON object per sample, then {configured, measured}")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: rtcdrill run [flags]                 one call impaired by flags")
		fmt.Fprintln(stderr, "       rtcdrill run [flags] SCENARIO.yaml   one call playing a scenario's timeline")
		fmt.Fprintln(stderr, "\nUnprefixed impairment flags set both directions; up-* and down-* set one")
		fmt.Fprintln(stderr, "(uplink = customer -> media server). Example:")
		fmt.Fprintln(stderr, "  rtcdrill run --down-loss 10% --delay 80ms --jitter 30ms --rate 800kbps --duration 30s")
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorderArgs(args)); err != nil {
		return flagExit(err)
	}
	rend, err := encoder.RenditionByName(*resolution)
	if err != nil {
		fmt.Fprintf(stderr, "run: --resolution: %v\n", err)
		return 2
	}
	opts := []simulator.Option{simulator.WithSeed(*seed), simulator.WithRendition(rend),
		simulator.WithCongestionControl(!*noCC)}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "run: one scenario file at most, got %d\n", fs.NArg())
		return 2
	}
	var play player
	if fs.NArg() == 1 {
		play, err = newScenarioPlayer(fs.Arg(0), *seed)
		if err != nil {
			fmt.Fprintf(stderr, "run: %v\n", err)
			return 1
		}
		if !flagSet(fs, "duration") {
			*duration = play.duration()
		}
	} else {
		up, down, err := imp.configs()
		if err != nil {
			fmt.Fprintf(stderr, "run: %v\n", err)
			return 2
		}
		play = fixedPlayer{up: up, down: down}
	}
	up, down := play.at(0)
	opts = append(opts, simulator.WithImpairment(simulator.Uplink, up), simulator.WithImpairment(simulator.Downlink, down))
	if err := runCall(ctx, stdout, stderr, opts, play, *duration, *asJSON); err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 1
	}
	return 0
}

// player says what the impairment is at each moment of the call.
type player interface {
	at(offset time.Duration) (up, down impair.Config)
	duration() time.Duration
	describe() string
}

// fixedPlayer is the flag form: one impairment for the whole call.
type fixedPlayer struct{ up, down impair.Config }

func (p fixedPlayer) at(time.Duration) (impair.Config, impair.Config) { return p.up, p.down }
func (p fixedPlayer) duration() time.Duration                         { return 30 * time.Second }
func (p fixedPlayer) describe() string {
	return "uplink: " + describeImpairment(p.up) + "; downlink: " + describeImpairment(p.down)
}

func runCall(ctx context.Context, stdout, stderr io.Writer, opts []simulator.Option, play player,
	d time.Duration, asJSON bool) error {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, err := simulator.New(cctx, opts...)
	cancel()
	if err != nil {
		return err
	}
	defer c.Close()
	samples, stop := c.Subscribe()
	defer stop()
	out := newReporter(stdout, asJSON)
	if !asJSON {
		fmt.Fprintf(stdout, "call up; %s\n", play.describe())
	}
	end := time.NewTimer(d)
	defer end.Stop()
	lastUp, lastDown := play.at(0)
	for {
		select {
		case <-ctx.Done():
			return out.summary(c, play)
		case <-end.C:
			return out.summary(c, play)
		case s, ok := <-samples:
			if !ok {
				return errors.New("call ended early")
			}
			out.sample(s)
			up, down := play.at(s.Offset)
			if up != lastUp {
				if err := c.SetImpairment(simulator.Uplink, up); err != nil {
					return err
				}
				lastUp = up
			}
			if down != lastDown {
				if err := c.SetImpairment(simulator.Downlink, down); err != nil {
					return err
				}
				lastDown = down
			}
		}
	}
}

// reorderArgs lets the scenario file come before the flags
// (`rtcdrill run file.yaml --seed 3`): the flag package stops at the first
// word that is not a flag, so a leading file name is moved to the end.
func reorderArgs(args []string) []string {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return append(append([]string{}, args[1:]...), args[0])
	}
	return args
}

func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// jsonLine writes v as one line of JSON.
func jsonLine(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}
