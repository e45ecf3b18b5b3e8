package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/rtcdrill/rtcdrill/simulator/benchmark"
)

// benchCmd runs `rtcdrill bench`: N bare and N impaired calls per count.
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	counts := fs.String("n", "10,50,200", "comma-separated numbers of concurrent calls")
	dur := fs.Duration("duration", 0, "measuring time per run once all calls are up (default 10s)")
	repeat := fs.Int("repeat", 1, "measure each count and kind this many times, alternating which kind goes first, and report the median run and the range (for hosts whose speed varies)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	dtx := fs.Bool("dtx", true, "talkers pause as in a conversation, with Opus DTX (as the calls of `serve` do); --dtx=false measures audio sent without a break, 50 packets a second each way")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: rtcdrill bench [--n 10,50,200] [--duration 10s] [--repeat 1] [--dtx=false] [--json]")
		fmt.Fprintln(stderr, "\nRuns N bare calls, then N impaired calls (10% loss, 50ms +- 20ms, 800kbps cap both ways),")
		fmt.Fprintln(stderr, "and prints CPU-seconds per call-second, connect p50/p95 (ICE and DTLS up), first media p50/p95,\nRSS and goroutines per call.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	var ns []int
	for _, s := range strings.Split(*counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fmt.Fprintf(stderr, "bench: --n: %q is not a positive whole number\n", s)
			return 2
		}
		ns = append(ns, n)
	}
	if *repeat < 1 {
		fmt.Fprintf(stderr, "bench: --repeat: %d: want 1 or more\n", *repeat)
		return 2
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "bench: --cpuprofile: %v\n", err)
			return 1
		}
		defer stop()
	}
	cfg := benchmark.Config{Counts: ns, Duration: *dur, Impaired: benchmark.DefaultImpaired(), Repeat: *repeat,
		ContinuousAudio: !*dtx}
	if !*asJSON {
		cfg.Progress = stderr
	}
	rep, err := benchmark.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		return 0
	}
	if err := benchmark.WriteTable(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	return 0
}

// startCPUProfile profiles the process into path until the returned stop
// runs, so a slow run can be explained without rebuilding.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}

// flagExit maps a flag parse error to an exit code: --help is success.
func flagExit(err error) int {
	if err == flag.ErrHelp {
		return 0
	}
	return 2
}
