package simulator

// Metrics returns the sample's figures by the names scenario conditions use
// (scenarios.MetricNames): W3C webrtc-stats names in base units, plus
// bitrateIn/bitrateOut, mos and serverCpu.
func (s Sample) Metrics() map[string]float64 {
	return map[string]float64{
		"roundTripTime":        s.RoundTripTime,
		"packetsLost":          float64(s.PacketsLost),
		"fractionLost":         s.FractionLost,
		"jitter":               s.Jitter,
		"framesPerSecond":      s.FramesPerSecond,
		"frameWidth":           float64(s.FrameWidth),
		"frameHeight":          float64(s.FrameHeight),
		"freezeCount":          float64(s.FreezeCount),
		"totalFreezesDuration": s.TotalFreezesDuration,
		"nackCount":            float64(s.NackCount),
		"pliCount":             float64(s.PliCount),
		"targetBitrate":        s.TargetBitrate,
		"concealedSamples":     float64(s.ConcealedSamples),
		"bitrateIn":            s.BitrateIn,
		"bitrateOut":           s.BitrateOut,
		"endToEndDelay":        s.EndToEndDelay,
		"firstFrameTime":       s.FirstFrameTime,
		"mos":                  s.MOS,
		"serverCpu":            s.ServerCPU,
		"packetsReceived":      float64(s.PacketsReceived),
		"videoFractionLost":    s.VideoFractionLost,
		"videoJitter":          s.VideoJitter,
		"framesDropped":        float64(s.FramesDropped),
		"concealmentEvents":    float64(s.ConcealmentEvents),
		"totalSamplesReceived": float64(s.TotalSamples),
		"audioLoss":            s.AudioLoss,
		"sendBitrate":          s.SendBitrate,
		"audioDelay":           s.AudioDelay,
		"uplinkFractionLost":   s.UplinkFractionLost,
		"uplinkJitter":         s.UplinkJitter,
	}
}

// smoothed averages the figures of the last samples, so that one unlucky
// second (one lost audio packet is 2 % of a second's audio) does not decide
// whether a call is healthy. Counters are taken from the newest sample.
func smoothed(window []Sample) map[string]float64 {
	if len(window) == 0 {
		return map[string]float64{}
	}
	out := window[len(window)-1].Metrics()
	for _, k := range []string{"roundTripTime", "fractionLost", "jitter", "framesPerSecond", "bitrateIn",
		"bitrateOut", "endToEndDelay", "mos", "serverCpu", "targetBitrate", "audioLoss", "sendBitrate",
		"audioDelay", "uplinkFractionLost", "uplinkJitter", "videoFractionLost", "videoJitter"} {
		var sum float64
		for _, s := range window {
			sum += s.Metrics()[k]
		}
		out[k] = sum / float64(len(window))
	}
	return out
}

// SmoothedMetrics is the metrics of a window of samples as the engine judges
// health: rates and levels averaged, counters from the newest sample.
func SmoothedMetrics(window []Sample) map[string]float64 { return smoothed(window) }
