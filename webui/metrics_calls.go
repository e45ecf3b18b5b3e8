package webui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// callLabels name a live call's series, plus extra ones. At most
// MaxLiveCalls calls run, so the per-call series are bounded by it; a
// finished call's series vanish at the next scrape.
func callLabels(extra ...string) []string {
	return append([]string{"attempt", "item", "scenario", "edge"}, extra...)
}

// sampleMetric is one figure of a call's latest sample.
type sampleMetric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(simulator.Sample) float64
	// present says whether the sample holds the figure yet.
	present func(simulator.Sample) bool
}

// callCollector reads the live calls at each scrape: nothing is stored
// between scrapes, so a stopped call leaves no stale series behind.
type callCollector struct {
	srv *Server

	samples                       []sampleMetric
	bitrate                       *prometheus.Desc
	signalingErrors               *prometheus.Desc
	serverCPU, serverMem, serverN *prometheus.Desc
	serving                       *prometheus.Desc
	liveCalls, liveMax, attempts  *prometheus.Desc
}

func always(simulator.Sample) bool { return true }

func newCallCollector(s *Server) *callCollector {
	d := func(name, help string, labels []string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	g := func(name, help string, v func(simulator.Sample) float64) sampleMetric {
		return sampleMetric{desc: d(name, help, callLabels()), kind: prometheus.GaugeValue, value: v, present: always}
	}
	c := func(name, help string, v func(simulator.Sample) float64) sampleMetric {
		return sampleMetric{desc: d(name, help, callLabels()), kind: prometheus.CounterValue, value: v, present: always}
	}
	// measured is a figure that reads 0 until first measured (no RTCP
	// report yet, no frame rendered yet): a 0 would drag averages down, so
	// the series is left out until then.
	measured := func(name, help string, v func(simulator.Sample) float64) sampleMetric {
		m := g(name, help, v)
		m.present = func(x simulator.Sample) bool { return v(x) > 0 }
		return m
	}
	// A call's cluster has a primary, a backup and at most a few
	// scaled-out servers, so these stay bounded too.
	serverLabels := callLabels("server", "role")
	return &callCollector{
		srv: s,
		samples: []sampleMetric{
			measured("rtcdrill_call_round_trip_time_seconds", "Round-trip time of the customer's path (webrtc-stats roundTripTime).",
				func(x simulator.Sample) float64 { return x.RoundTripTime }),
			g("rtcdrill_call_packet_loss_ratio", "Downlink packet loss of the last receiver report, 0..1 (fractionLost).",
				func(x simulator.Sample) float64 { return x.FractionLost }),
			g("rtcdrill_call_jitter_seconds", "Downlink RFC 3550 interarrival jitter (jitter).",
				func(x simulator.Sample) float64 { return x.Jitter }),
			g("rtcdrill_call_frames_per_second", "Video frames rendered per second at the customer (framesPerSecond).",
				func(x simulator.Sample) float64 { return x.FramesPerSecond }),
			c("rtcdrill_call_freezes_total", "Video freezes at the customer since the call (re)started (freezeCount).",
				func(x simulator.Sample) float64 { return float64(x.FreezeCount) }),
			c("rtcdrill_call_freeze_duration_seconds_total", "Time spent frozen since the call (re)started (totalFreezesDuration).",
				func(x simulator.Sample) float64 { return x.TotalFreezesDuration }),
			c("rtcdrill_call_packets_lost_total", "Downlink audio packets lost since the call (re)started (packetsLost).",
				func(x simulator.Sample) float64 { return float64(x.PacketsLost) }),
			measured("rtcdrill_call_mos", "E-model (ITU-T G.107) mean opinion score of the downlink audio, 1..4.5.",
				func(x simulator.Sample) float64 { return x.MOS }),
			measured("rtcdrill_call_end_to_end_delay_seconds", "Capture-to-playout delay of the last rendered video frame.",
				func(x simulator.Sample) float64 { return x.EndToEndDelay }),
			measured("rtcdrill_call_first_frame_seconds", "Call start to the first rendered video frame.",
				func(x simulator.Sample) float64 { return x.FirstFrameTime }),
		},
		bitrate: d("rtcdrill_call_bitrate_bits_per_second",
			"Media bitrate of the last second: in = received by the customer, out = sent by the customer, server = sent by the media server.",
			callLabels("direction")),
		signalingErrors: d("rtcdrill_call_signaling_errors_total",
			"Failed signaling exchanges (each retry counts) since the call (re)started.", callLabels()),
		serverCPU: d("rtcdrill_media_server_cpu_ratio", "Simulated media server's CPU load, 0..1.", serverLabels),
		serverMem: d("rtcdrill_media_server_memory_ratio", "Simulated media server's memory use, 0..1.", serverLabels),
		serverN:   d("rtcdrill_media_server_connections", "Concurrent sessions on the simulated media server.", serverLabels),
		serving:   d("rtcdrill_media_server_serving", "1 for the media server the customer's call is on, else 0.", serverLabels),
		liveCalls: d("rtcdrill_live_calls", "Live calls running or starting on this node.", nil),
		liveMax:   d("rtcdrill_live_calls_max", "Live calls this node runs at most (--max-live-calls).", nil),
		attempts:  d("rtcdrill_active_attempts", "Attempts in progress and not past their deadline, by mode (exam or practice).", []string{"mode"}),
	}
}

// Describe sends every descriptor the collector may emit.
func (cc *callCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range cc.samples {
		ch <- m.desc
	}
	for _, d := range []*prometheus.Desc{cc.bitrate, cc.signalingErrors, cc.serverCPU, cc.serverMem,
		cc.serverN, cc.serving, cc.liveCalls, cc.liveMax, cc.attempts} {
		ch <- d
	}
}

// Collect reads the live calls and the store's active attempts.
func (cc *callCollector) Collect(ch chan<- prometheus.Metric) {
	calls, total := cc.srv.live.snapshot()
	ch <- prometheus.MustNewConstMetric(cc.liveCalls, prometheus.GaugeValue, float64(total))
	ch <- prometheus.MustNewConstMetric(cc.liveMax, prometheus.GaugeValue, float64(cc.srv.cfg.MaxLiveCalls))
	cc.collectAttempts(ch)
	for _, lc := range calls {
		cc.collectCall(ch, lc)
	}
}

func (cc *callCollector) collectAttempts(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	active, err := cc.srv.store.ActiveAttempts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(cc.attempts, err)
		return
	}
	count := map[store.Mode]int{store.ModeExam: 0, store.ModePractice: 0}
	now := cc.srv.now()
	for _, a := range active {
		if !a.Expired(now) {
			count[a.Mode]++
		}
	}
	for mode, n := range count {
		ch <- prometheus.MustNewConstMetric(cc.attempts, prometheus.GaugeValue, float64(n), string(mode))
	}
}

func (cc *callCollector) collectCall(ch chan<- prometheus.Metric, lc *liveCall) {
	sess := lc.sess
	labels := []string{strconv.FormatUint(uint64(lc.attemptID), 10), strconv.FormatUint(uint64(lc.itemID), 10),
		sess.Variant().ScenarioID, edgeLabel(sess)}
	if last, ok := sess.Latest(); ok {
		for _, m := range cc.samples {
			if m.present(last) {
				ch <- prometheus.MustNewConstMetric(m.desc, m.kind, m.value(last), labels...)
			}
		}
		for dir, v := range map[string]float64{"in": last.BitrateIn, "out": last.BitrateOut, "server": last.SendBitrate} {
			ch <- prometheus.MustNewConstMetric(cc.bitrate, prometheus.GaugeValue, v, append(labels, dir)...)
		}
	}
	ch <- prometheus.MustNewConstMetric(cc.signalingErrors, prometheus.CounterValue,
		float64(signalingErrors(sess.Log())), labels...)
	for _, st := range sess.Dashboard().Servers {
		sl := append(append([]string(nil), labels...), st.Name, string(st.Role))
		serving := 0.0
		if st.Serving {
			serving = 1
		}
		ch <- prometheus.MustNewConstMetric(cc.serverCPU, prometheus.GaugeValue, st.CPU, sl...)
		ch <- prometheus.MustNewConstMetric(cc.serverMem, prometheus.GaugeValue, st.Memory, sl...)
		ch <- prometheus.MustNewConstMetric(cc.serverN, prometheus.GaugeValue, float64(st.Sessions), sl...)
		ch <- prometheus.MustNewConstMetric(cc.serving, prometheus.GaugeValue, serving, sl...)
	}
}

// edgeLabel is the edge node serving the call, "unknown" when the
// scenario names no region the engine knows.
func edgeLabel(sess *simulator.Session) string {
	if n := sess.EdgeNode(); n != "" {
		return n
	}
	return "unknown"
}

// signalingErrors counts the client's failed signaling exchanges in a log.
func signalingErrors(log []simulator.Event) int {
	n := 0
	for _, e := range log {
		if e.Kind == simulator.KindError && strings.HasPrefix(e.Message, "signaling error") {
			n++
		}
	}
	return n
}

// snapshot lists the calls that are up, and how many calls there are in
// all (starting ones too). It holds the manager's lock only to copy: the
// sessions are read afterwards, so a scrape never stalls a call's start.
func (m *liveCalls) snapshot() (up []*liveCall, total int) {
	m.mu.Lock()
	all := make([]*liveCall, 0, len(m.calls))
	for _, lc := range m.calls {
		all = append(all, lc)
	}
	m.mu.Unlock()
	for _, lc := range all {
		select {
		case <-lc.ready:
			if lc.err == nil {
				up = append(up, lc)
			}
		default:
		}
	}
	return up, len(all)
}
