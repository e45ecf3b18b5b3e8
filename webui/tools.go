package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator/capture"
	"github.com/rtcdrill/rtcdrill/simulator/mediaserver"
	"github.com/rtcdrill/rtcdrill/simulator/netpath"
)

// diagnosticTools are the tools an agent runs on a live call; unlike
// remedies they only look. Each run is stored as an action of kind tool.
func diagnosticTools() []string { return []string{"ping", "traceroute", "rtp", "dashboard"} }

// pingCount is how many echoes the ping tool sends, as `ping -c 10`.
const pingCount = 10

// toolRun is one run of a tool: its output as a terminal shows it, and the
// figures behind it for programs.
type toolRun struct {
	Tool   string  `json:"tool"`
	At     float64 `json:"at_seconds"`
	Clock  string  `json:"at"`
	Output string  `json:"output"`
	Error  string  `json:"error,omitempty"`
	Result any     `json:"result,omitempty"`
}

// runTool runs a diagnostic tool on the item's live call (starting it if
// needed) and stores the run with the item's actions. A tool that fails on
// this call returns its error as the output, as a terminal would.
func (s *Server) runTool(ctx context.Context, spec callSpec, tool string) (toolRun, error) {
	if !slices.Contains(diagnosticTools(), tool) {
		return toolRun{}, fmt.Errorf("tool %q: %w", tool, store.ErrNotFound)
	}
	lc, err := s.live.acquire(ctx, spec)
	if err != nil {
		return toolRun{}, err
	}
	defer s.live.release(lc)
	at := lc.sess.Offset()
	run := toolRun{Tool: tool, At: at.Seconds(), Clock: clockText(at)}
	var terr error
	switch tool {
	case "ping":
		var replies []netpath.PingReply
		var sum netpath.PingSummary
		if replies, sum, terr = lc.sess.Ping(pingCount); terr == nil {
			run.Output, run.Result = pingText(replies, sum), map[string]any{"replies": replies, "summary": sum}
		}
	case "traceroute":
		var hops []netpath.TraceHop
		if hops, terr = lc.sess.Traceroute(); terr == nil {
			run.Output, run.Result = tracerouteText(hops), hops
		}
	case "rtp":
		st := lc.sess.Call().StreamAnalysis()
		run.Output, run.Result = rtpText(st), st
	case "dashboard":
		d := lc.sess.Dashboard()
		run.Output, run.Result = dashboardText(d), d
	}
	if terr != nil {
		run.Error = terr.Error()
	}
	outcome, err := json.Marshal(actionOutcome{Outcome: run.Output, Error: run.Error})
	if err != nil {
		return toolRun{}, fmt.Errorf("tool %s: %w", tool, err)
	}
	_, err = s.store.RecordAction(context.WithoutCancel(ctx), store.Action{AttemptItemID: spec.item.ID,
		OffsetMS: at.Milliseconds(), Kind: store.ActionTool, Name: tool, Outcome: string(outcome)})
	if err != nil {
		return toolRun{}, fmt.Errorf("tool %s: %w", tool, err)
	}
	return run, nil
}

// toolRuns are an item's stored tool runs, newest first, without the
// figures (the output holds them as text).
func toolRuns(acts []store.Action) []toolRun {
	var out []toolRun
	for _, a := range slices.Backward(acts) {
		if a.Kind == store.ActionTool {
			o := outcomeOf(a)
			out = append(out, toolRun{Tool: a.Name, At: a.Offset().Seconds(), Clock: clockText(a.Offset()),
				Output: o.Outcome, Error: o.Error})
		}
	}
	return out
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// pingText formats a ping as Linux ping prints it.
func pingText(replies []netpath.PingReply, sum netpath.PingSummary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "PING media server: %d probes\n", len(replies))
	for _, r := range replies {
		if r.Lost {
			fmt.Fprintf(&b, "seq=%d  no reply\n", r.Seq)
		} else {
			fmt.Fprintf(&b, "seq=%d  time=%s\n", r.Seq, ms(r.RTT))
		}
	}
	fmt.Fprintf(&b, "--- media server ping statistics ---\n%d packets transmitted, %d received, %.0f%% packet loss\n",
		sum.Sent, sum.Received, sum.Loss*100)
	if sum.Received > 0 {
		fmt.Fprintf(&b, "rtt min/avg/max/mdev = %.1f/%.1f/%.1f/%.1f ms\n", msf(sum.Min), msf(sum.Avg), msf(sum.Max), msf(sum.MDev))
	}
	return b.String()
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// tracerouteText formats hops as traceroute prints them.
func tracerouteText(hops []netpath.TraceHop) string {
	var b strings.Builder
	b.WriteString("traceroute to media server\n")
	for _, h := range hops {
		fmt.Fprintf(&b, "%2d  %s (%s)", h.TTL, h.Name, h.Addr)
		for _, p := range h.Probes {
			if p.Lost {
				b.WriteString("  *")
			} else {
				b.WriteString("  " + ms(p.RTT))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// dashboardText formats the media servers' monitoring panel.
func dashboardText(d mediaserver.Dashboard) string {
	var b strings.Builder
	fmt.Fprintf(&b, "media servers (alert at CPU %.0f%%, memory %.0f%%)\n", d.CPUThreshold*100, d.MemoryThreshold*100)
	for _, sv := range d.Servers {
		fmt.Fprintf(&b, "%-16s %-8s %-6s CPU %3.0f%%  memory %3.0f%%  sessions %d", sv.Name, sv.Role, sv.Status,
			sv.CPU*100, sv.Memory*100, sv.Sessions)
		if sv.Capacity > 0 {
			fmt.Fprintf(&b, "/%d", sv.Capacity)
		}
		if sv.Serving {
			b.WriteString("  <- this call")
		}
		b.WriteString("\n")
	}
	if d.ScalingOut {
		fmt.Fprintf(&b, "scaling out: new capacity in %v\n", d.ScaleOutETA.Round(time.Second))
	}
	return b.String()
}

// rtpText prints the RTP stream analysis as Wireshark's RTP Streams window
// lays it out: one line per stream the customer's app sent or received.
func rtpText(streams []capture.StreamStats) string {
	var b strings.Builder
	b.WriteString("dir   SSRC        PT  packets  lost        seq errors  max delta  mean jitter  max jitter\n")
	for _, st := range streams {
		fmt.Fprintf(&b, "%-5s 0x%08X %3d %8d %6d (%4.1f%%) %10d %8.1fms %10.1fms %9.1fms\n", st.Direction, st.SSRC,
			st.PayloadType, st.Packets, st.Lost, st.LostPercent, st.SequenceErrors, st.MaxDeltaMs, st.MeanJitterMs,
			st.MaxJitterMs)
	}
	if len(streams) == 0 {
		b.WriteString("no RTP captured yet\n")
	}
	return b.String()
}
