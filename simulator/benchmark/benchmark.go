// Package benchmark measures what calls cost: it runs N bare and N impaired
// calls in one process and reports CPU-seconds per call-second, connect
// times, memory and goroutines per call. `rtcdrill bench` prints its report
// and the engine's Go benchmarks reuse it.
package benchmark

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// Config says what to measure.
type Config struct {
	// Counts are the numbers of concurrent calls to measure, e.g. 10, 50, 200.
	Counts []int
	// Duration is how long each set of calls is measured once all are up.
	Duration time.Duration
	// Impaired is the impairment of both directions in the impaired runs.
	Impaired impair.Config
	// Repeat is how many times each count and kind is measured (default
	// once); the report gives the run of median CPU and the table the
	// range, for hosts whose speed varies from run to run.
	Repeat int
	// ContinuousAudio sends audio without a break (50 packets a second each
	// way) instead of the calls' default, talkers with Opus DTX.
	ContinuousAudio bool
	// Progress, if set, receives one line per finished run.
	Progress io.Writer
}

// DefaultImpaired is the reference impairment: 10 % loss, 50 ms
// +- 20 ms, an 800 kbit/s cap.
func DefaultImpaired() impair.Config {
	return impair.Config{Loss: 0.10, Delay: 50 * time.Millisecond, Jitter: 20 * time.Millisecond,
		Rate: 800_000}
}

// Result is one run: N calls of one kind.
type Result struct {
	Kind             string  `json:"kind"`
	Calls            int     `json:"calls"`
	CPUPerCallSecond float64 `json:"cpuPerCallSecond"`
	Cores            float64 `json:"cores"`
	// ConnectP50 and ConnectP95 are from the call's start to the customer's
	// PeerConnection connected (ICE and DTLS done): what "joining" costs.
	ConnectP50 time.Duration `json:"connectP50"`
	ConnectP95 time.Duration `json:"connectP95"`
	// FirstMediaP50 and FirstMediaP95 run on to the first video packet at
	// the customer, so an impaired call adds its configured one-way delay.
	FirstMediaP50     time.Duration `json:"firstMediaP50"`
	FirstMediaP95     time.Duration `json:"firstMediaP95"`
	RSSPerCall        float64       `json:"rssPerCallBytes"`
	GoroutinesPerCall float64       `json:"goroutinesPerCall"`
}

// Report is the measurement of each count, bare and impaired: with one
// run per kind and count, that run; with more, the run of median CPU.
type Report struct {
	// Audio is what the talkers sent: "dtx" (P.59 talkspurts and pauses,
	// Opus DTX) or "continuous".
	Audio    string   `json:"audio"`
	Bare     []Result `json:"bare"`
	Impaired []Result `json:"impaired"`
	// Runs is every run in the order measured, when there were repeats.
	Runs []Result `json:"runs,omitempty"`
}

// Run measures each count, bare and impaired, cfg.Repeat times, in this
// process.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if cfg.Duration <= 0 {
		cfg.Duration = 10 * time.Second
	}
	repeat := max(cfg.Repeat, 1)
	audio := []simulator.Option{simulator.WithDTX(!cfg.ContinuousAudio)}
	opts := map[string][]simulator.Option{"bare": audio, "impaired": append([]simulator.Option{
		simulator.WithImpairment(simulator.Uplink, cfg.Impaired),
		simulator.WithImpairment(simulator.Downlink, cfg.Impaired)}, audio...)}
	rep := Report{Audio: "dtx"}
	if cfg.ContinuousAudio {
		rep.Audio = "continuous"
	}
	for _, n := range cfg.Counts {
		runs := map[string][]Result{}
		for r := range repeat {
			// Alternate which kind goes first (bare impaired, impaired
			// bare, ...): a host that speeds up or slows down during the
			// runs then favours neither.
			for _, kind := range kindOrder(r) {
				res, err := Measure(ctx, kind, n, cfg.Duration, opts[kind]...)
				if err != nil {
					return rep, err
				}
				progress(cfg.Progress, res)
				runs[kind] = append(runs[kind], res)
				if repeat > 1 {
					rep.Runs = append(rep.Runs, res)
				}
			}
		}
		rep.Bare = append(rep.Bare, median(runs["bare"]))
		rep.Impaired = append(rep.Impaired, median(runs["impaired"]))
	}
	return rep, nil
}

func progress(w io.Writer, r Result) {
	if w != nil {
		fmt.Fprintf(w, "%-8s N=%-4d cpu/call-s=%.4f cores=%.2f connect p50=%v p95=%v first media p50=%v p95=%v rss/call=%.1fMB goroutines/call=%.1f\n",
			r.Kind, r.Calls, r.CPUPerCallSecond, r.Cores, r.ConnectP50.Round(100*time.Microsecond),
			r.ConnectP95.Round(100*time.Microsecond), r.FirstMediaP50.Round(100*time.Microsecond),
			r.FirstMediaP95.Round(100*time.Microsecond), r.RSSPerCall/1e6, r.GoroutinesPerCall)
	}
}

// Measure runs n calls of one kind (the options make them what they are):
// it starts them one after another (connect time is measured alone,
// as a customer joining would see it), lets them settle, then measures CPU
// over the duration.
func Measure(ctx context.Context, kind string, n int, d time.Duration, opts ...simulator.Option) (Result, error) {
	// Hand memory freed by the previous run back to the OS, so that this
	// run's RSS growth is its own.
	debug.FreeOSMemory()
	g0 := runtime.NumGoroutine()
	rss0 := rss()
	// One Scheduler and one MediaClock for all n calls, as a server runs
	// them; they close after the calls (deferred first).
	sched, err := impair.NewScheduler()
	if err != nil {
		return Result{}, fmt.Errorf("benchmark: %w", err)
	}
	defer sched.Close()
	clock, err := simulator.NewMediaClock()
	if err != nil {
		return Result{}, fmt.Errorf("benchmark: %w", err)
	}
	defer clock.Close()
	opts = append([]simulator.Option{simulator.WithScheduler(sched), simulator.WithMediaClock(clock)}, opts...)
	calls := make([]*simulator.Call, 0, n)
	defer func() {
		for _, c := range calls {
			c.Close()
		}
	}()
	connects := make([]time.Duration, 0, n)
	firsts := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		c, err := simulator.New(cctx, append(opts, simulator.WithSeed(uint64(i+1)))...)
		if err != nil {
			cancel()
			return Result{}, fmt.Errorf("benchmark: %s call %d: %w", kind, i, err)
		}
		calls = append(calls, c)
		select {
		case <-c.Connected():
		case <-cctx.Done():
			cancel()
			return Result{}, fmt.Errorf("benchmark: %s call %d: no media: %w", kind, i, cctx.Err())
		}
		cancel()
		// The connection is recorded with the state that lets media flow,
		// so it is there once a packet came.
		up := c.Leg().Connected
		if up <= 0 {
			return Result{}, fmt.Errorf("benchmark: %s call %d: media before a recorded connection", kind, i)
		}
		connects = append(connects, up)
		firsts = append(firsts, c.ConnectTime())
	}
	settle := 2 * time.Second
	select {
	case <-time.After(settle):
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	cpu0, t0 := cpuTime(), time.Now()
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	cpu, wall := cpuTime()-cpu0, time.Since(t0)
	res := Result{Kind: kind, Calls: n,
		CPUPerCallSecond:  cpu.Seconds() / (float64(n) * wall.Seconds()),
		Cores:             cpu.Seconds() / wall.Seconds(),
		RSSPerCall:        float64(rss()-rss0) / float64(n),
		GoroutinesPerCall: float64(runtime.NumGoroutine()-g0) / float64(n),
	}
	res.ConnectP50, res.ConnectP95 = percentiles(connects)
	res.FirstMediaP50, res.FirstMediaP95 = percentiles(firsts)
	return res, nil
}

// percentiles sorts d and returns its median and 95th percentile.
func percentiles(d []time.Duration) (p50, p95 time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return percentile(d, 0.50), percentile(d, 0.95)
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted)-1) + 0.5)
	return sorted[i]
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rss is the resident set size from /proc/self/status, 0 where unavailable.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// WriteTable prints the report as the README's performance table; with
// repeats, CPU and cores are the median with the range of all runs.
func WriteTable(w io.Writer, rep Report) error {
	switch rep.Audio {
	case "dtx":
		fmt.Fprintln(w, "audio: talkers with Opus DTX (ITU-T P.59 talkspurts and pauses)")
	case "continuous":
		fmt.Fprintln(w, "audio: continuous, 50 packets a second each way")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "N\tkind\tCPU-s/call-s\tcores\tconnect p50\tconnect p95\tfirst media p50\tfirst media p95\tRSS/call\tgoroutines/call\timpaired/bare")
	for i := range rep.Bare {
		for _, r := range []Result{rep.Bare[i], rep.Impaired[i]} {
			ratio := ""
			if r.Kind == "impaired" && rep.Bare[i].CPUPerCallSecond > 0 {
				ratio = fmt.Sprintf("%.2f", r.CPUPerCallSecond/rep.Bare[i].CPUPerCallSecond)
			}
			cpu, cores := fmt.Sprintf("%.4f", r.CPUPerCallSecond), fmt.Sprintf("%.2f", r.Cores)
			if lo, hi, ok := spread(rep.Runs, r); ok {
				cpu += fmt.Sprintf(" (%.4f-%.4f)", lo.CPUPerCallSecond, hi.CPUPerCallSecond)
				cores += fmt.Sprintf(" (%.2f-%.2f)", lo.Cores, hi.Cores)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%.1f ms\t%.1f ms\t%.1f ms\t%.1f ms\t%.1f MB\t%.0f\t%s\n", r.Calls, r.Kind,
				cpu, cores, ms(r.ConnectP50), ms(r.ConnectP95), ms(r.FirstMediaP50),
				ms(r.FirstMediaP95), r.RSSPerCall/1e6,
				r.GoroutinesPerCall, ratio)
		}
	}
	return tw.Flush()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
