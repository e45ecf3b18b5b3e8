package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// reporter prints a call's samples as a live table (or JSON lines) and its
// configured-versus-measured summary.
type reporter struct {
	w      io.Writer
	json   bool
	rows   int
	series []simulator.Sample
}

func newReporter(w io.Writer, asJSON bool) *reporter { return &reporter{w: w, json: asJSON} }

const tableHeader = "   t   RTT ms  loss %  jit ms  in kbps  tgt kbps   fps  res        freezes  nack  pli  conceal  e2e ms   MOS"

func (r *reporter) sample(s simulator.Sample) {
	r.series = append(r.series, s)
	if r.json {
		_ = jsonLine(r.w, s)
		return
	}
	if r.rows%20 == 0 {
		fmt.Fprintln(r.w, tableHeader)
	}
	r.rows++
	fmt.Fprintf(r.w, "%4.0fs  %7.1f  %6.1f  %6.1f  %7.0f  %8.0f  %4.1f  %-9s  %7d  %4d  %3d  %7d  %6.0f  %4.2f\n",
		s.Offset.Seconds(), s.RoundTripTime*1000, s.FractionLost*100, s.Jitter*1000, s.BitrateIn/1000,
		s.TargetBitrate/1000, s.FramesPerSecond, fmt.Sprintf("%dx%d", s.FrameWidth, s.FrameHeight),
		s.FreezeCount, s.NackCount, s.PliCount, s.ConcealedSamples, s.EndToEndDelay*1000, s.MOS)
}

// Summary is the final object of `run --json`.
type Summary struct {
	Configured ConfiguredSummary `json:"configured"`
	Measured   MeasuredSummary   `json:"measured"`
}

// ConfiguredSummary is what the call was asked to do, in webrtc-stats units.
type ConfiguredSummary struct {
	Scenario string           `json:"scenario,omitempty"`
	Uplink   directionSummary `json:"uplink"`
	Downlink directionSummary `json:"downlink"`
	// ExpectedRoundTripTime is the sum of both directions' mean delays, in seconds.
	ExpectedRoundTripTime float64 `json:"expectedRoundTripTime"`
}

type directionSummary struct {
	Loss         float64 `json:"loss"`
	Delay        float64 `json:"delay"`
	Jitter       float64 `json:"jitter"`
	Distribution string  `json:"distribution,omitempty"`
	Rate         int64   `json:"rate,omitempty"`
	Outage       bool    `json:"outage,omitempty"`
}

// MeasuredSummary is what the call did, over its whole length.
type MeasuredSummary struct {
	Seconds float64 `json:"seconds"`
	// NetworkLoss is the share of downlink packets the impairment dropped.
	NetworkLoss float64 `json:"networkLoss"`
	// ResidualLoss is the share of downlink video still missing after NACK repair.
	ResidualLoss         float64 `json:"residualLoss"`
	RoundTripTime        float64 `json:"roundTripTime"`
	Jitter               float64 `json:"jitter"`
	VideoJitter          float64 `json:"videoJitter"`
	BitrateIn            float64 `json:"bitrateIn"`
	FramesPerSecond      float64 `json:"framesPerSecond"`
	FreezeCount          uint64  `json:"freezeCount"`
	TotalFreezesDuration float64 `json:"totalFreezesDuration"`
	ConcealedSamples     uint64  `json:"concealedSamples"`
	EndToEndDelay        float64 `json:"endToEndDelay"`
	FirstFrameTime       float64 `json:"firstFrameTime"`
	MOS                  float64 `json:"mos"`
	ConnectTime          float64 `json:"connectTime"`
	NackCount            uint64  `json:"nackCount"`
	PliCount             uint64  `json:"pliCount"`
}

func summarize(c *simulator.Call, series []simulator.Sample, scenarioID string) Summary {
	up, down := c.Impairment(simulator.Uplink), c.Impairment(simulator.Downlink)
	var sum Summary
	sum.Configured.Scenario = scenarioID
	sum.Configured.Uplink, sum.Configured.Downlink = dirSummary(up), dirSummary(down)
	sum.Configured.ExpectedRoundTripTime = (up.Delay + down.Delay).Seconds()
	m := &sum.Measured
	st := c.ImpairStats(simulator.Downlink)
	if st.Packets > 0 {
		m.NetworkLoss = float64(st.LostRandom+st.LostQueue+st.LostOutage) / float64(st.Packets)
	}
	if me := c.Measured(); me.VideoPackets > 0 {
		m.ResidualLoss = float64(me.VideoLost) / float64(me.VideoPackets)
	}
	m.ConnectTime = c.ConnectTime().Seconds()
	if len(series) == 0 {
		return sum
	}
	// Skip the first two seconds: the call is still starting.
	steady := series
	if len(series) > 3 {
		steady = series[2:]
	}
	var rtts []float64
	for _, s := range steady {
		if s.RoundTripTime > 0 {
			rtts = append(rtts, s.RoundTripTime)
		}
		m.Jitter += s.Jitter / float64(len(steady))
		m.VideoJitter += s.VideoJitter / float64(len(steady))
		m.BitrateIn += s.BitrateIn / float64(len(steady))
		m.FramesPerSecond += s.FramesPerSecond / float64(len(steady))
		m.EndToEndDelay += s.EndToEndDelay / float64(len(steady))
		m.MOS += s.MOS / float64(len(steady))
	}
	if len(rtts) > 0 {
		sort.Float64s(rtts)
		m.RoundTripTime = rtts[len(rtts)/2]
	}
	last := series[len(series)-1]
	m.Seconds = last.Offset.Seconds()
	m.FreezeCount, m.TotalFreezesDuration = last.FreezeCount, last.TotalFreezesDuration
	m.ConcealedSamples, m.FirstFrameTime = last.ConcealedSamples, last.FirstFrameTime
	m.NackCount, m.PliCount = last.NackCount, last.PliCount
	return sum
}

func dirSummary(c impair.Config) directionSummary {
	d := directionSummary{Loss: c.Loss, Delay: c.Delay.Seconds(), Jitter: c.Jitter.Seconds(),
		Distribution: string(c.Distribution), Rate: c.Rate, Outage: c.Outage}
	if c.GE != nil {
		d.Loss = c.GE.LossRate()
	}
	return d
}

// follow prints samples as they come until d has passed or ctx ends.
func (r *reporter) follow(ctx context.Context, samples <-chan simulator.Sample, d time.Duration) error {
	end := time.NewTimer(d)
	defer end.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-end.C:
			return nil
		case s, ok := <-samples:
			if !ok {
				return errors.New("call ended early")
			}
			r.sample(s)
		}
	}
}

// summary prints configured versus measured; for a scenario the configured
// side is the impairment in force at the end.
func (r *reporter) summary(c *simulator.Call, scenarioID string) error {
	sum := summarize(c, r.series, scenarioID)
	if r.json {
		return jsonLine(r.w, sum)
	}
	cf, m := sum.Configured, sum.Measured
	fmt.Fprintf(r.w, "\nsummary after %.0fs (steady state, first 2 s skipped)\n", m.Seconds)
	fmt.Fprintln(r.w, "                      configured       measured")
	fmt.Fprintf(r.w, "  downlink loss       %8.2f %%     %8.2f %% network, %.2f %% after NACK repair\n",
		cf.Downlink.Loss*100, m.NetworkLoss*100, m.ResidualLoss*100)
	fmt.Fprintf(r.w, "  round-trip time     %8.1f ms    %8.1f ms (median of RTCP RR)\n",
		cf.ExpectedRoundTripTime*1000, m.RoundTripTime*1000)
	fmt.Fprintf(r.w, "  downlink jitter     %8.1f ms    %8.1f ms audio, %.1f ms video (RFC 3550)\n",
		cf.Downlink.Jitter*1000, m.Jitter*1000, m.VideoJitter*1000)
	capStr := "none"
	if cf.Downlink.Rate > 0 {
		capStr = fmt.Sprintf("%.0f kbps", float64(cf.Downlink.Rate)/1000)
	}
	fmt.Fprintf(r.w, "  downlink cap        %11s   %8.0f kbps received\n", capStr, m.BitrateIn/1000)
	fmt.Fprintf(r.w, "  customer sees: %.1f fps, %d freezes (%.1f s), %d concealed samples, e2e %.0f ms, first frame %.0f ms, MOS %.2f\n",
		m.FramesPerSecond, m.FreezeCount, m.TotalFreezesDuration, m.ConcealedSamples, m.EndToEndDelay*1000,
		m.FirstFrameTime*1000, m.MOS)
	fmt.Fprintf(r.w, "  connect %.1f ms, %d NACKs, %d PLIs\n", m.ConnectTime*1000, m.NackCount, m.PliCount)
	return nil
}

func describeImpairment(c impair.Config) string {
	if c.IsZero() {
		return "none"
	}
	var parts []string
	if c.Outage {
		parts = append(parts, "outage")
	}
	if c.GE != nil {
		parts = append(parts, fmt.Sprintf("bursty loss %.1f%% (mean burst %.1f)", c.GE.LossRate()*100, c.GE.MeanBurstLength()))
	} else if c.Loss > 0 {
		parts = append(parts, fmt.Sprintf("loss %.1f%%", c.Loss*100))
	}
	if c.Delay > 0 || c.Jitter > 0 {
		parts = append(parts, fmt.Sprintf("delay %v ± %v", c.Delay, c.Jitter))
	}
	if c.Rate > 0 {
		parts = append(parts, fmt.Sprintf("cap %d kbps", c.Rate/1000))
	}
	if c.Duplicate > 0 {
		parts = append(parts, fmt.Sprintf("duplicate %.1f%%", c.Duplicate*100))
	}
	return strings.Join(parts, ", ")
}
