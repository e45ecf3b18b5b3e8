package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/rtcdrill/rtcdrill/scenarios"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/encoder"
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
	dtx := fs.Bool("dtx", true, "talkers pause as in a conversation (ITU-T P.59) with Opus DTX; --dtx=false sends audio without a break")
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
		simulator.WithCongestionControl(!*noCC), simulator.WithDTX(*dtx)}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "run: one scenario file at most, got %d\n", fs.NArg())
		return 2
	}
	if fs.NArg() == 1 {
		if err := runScenario(ctx, stdout, fs.Arg(0), *seed, *duration, flagSet(fs, "duration"), *asJSON, opts); err != nil {
			fmt.Fprintf(stderr, "run: %v\n", err)
			return 1
		}
		return 0
	}
	up, down, err := imp.configs()
	if err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 2
	}
	opts = append(opts, simulator.WithImpairment(simulator.Uplink, up), simulator.WithImpairment(simulator.Downlink, down))
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, err := simulator.New(cctx, opts...)
	cancel()
	if err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 1
	}
	defer c.Close()
	samples, stop := c.Subscribe()
	defer stop()
	out := newReporter(stdout, *asJSON)
	if !*asJSON {
		fmt.Fprintf(stdout, "call up; uplink: %s; downlink: %s\n", describeImpairment(up), describeImpairment(down))
	}
	if err := out.follow(ctx, samples, *duration); err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 1
	}
	if err := out.summary(c, ""); err != nil {
		fmt.Fprintf(stderr, "run: %v\n", err)
		return 1
	}
	return 0
}

// runScenario plays a scenario file on a scenario session, exactly as an
// exam item runs, without a trainee.
func runScenario(ctx context.Context, stdout io.Writer, path string, seed uint64, d time.Duration, durationSet, asJSON bool,
	opts []simulator.Option) error {
	sc, err := scenarios.LoadFile(path)
	if err != nil {
		return err
	}
	if missing := simulator.Unsupported(sc); len(missing) > 0 {
		return fmt.Errorf("%s: scenario %s uses faults this engine does not play yet: %v", path, sc.ID, missing)
	}
	cat, err := scenarios.LoadCatalog(filepath.Join(filepath.Dir(path), scenarios.CatalogFile))
	if err != nil {
		return fmt.Errorf("%s: its library's catalog: %w", path, err)
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	sess, err := simulator.NewSession(cctx, sc, cat, simulator.WithVariantSeed(seed), simulator.WithCallOptions(opts...))
	cancel()
	if err != nil {
		return err
	}
	defer sess.Close()
	samples, stop := sess.Subscribe()
	defer stop()
	go sess.Run(ctx)
	v := sess.Variant()
	if !durationSet {
		d = v.Duration()
	}
	out := newReporter(stdout, asJSON)
	if !asJSON {
		fmt.Fprintf(stdout, "call up; scenario %s (seed %d, %d phases, %v)\n", sc.ID, seed, len(v.Phases), v.Duration())
	}
	if err := out.follow(ctx, samples, d); err != nil {
		return err
	}
	return out.summary(sess.Call(), string(sc.ID))
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
