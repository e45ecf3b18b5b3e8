package impair

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // error substrings; none means valid
	}{
		{name: "zero", cfg: Config{}},
		{name: "everything in range", cfg: Config{
			Loss: 1, GE: &GilbertElliott{P: 0.1, R: 0.5, OneMinusH: 1, OneMinusK: 0}, Delay: time.Second,
			Jitter: time.Millisecond, Distribution: DistPareto, Reorder: true, Rate: 1e6, Burst: 1,
			Queue: time.Second, Duplicate: 1, Outage: true,
		}},
		{name: "loss above one", cfg: Config{Loss: 1.5}, want: []string{"impair: loss 1.5 out of range [0,1]"}},
		{name: "loss NaN", cfg: Config{Loss: math.NaN()}, want: []string{"impair: loss NaN out of range"}},
		{name: "negative duplicate", cfg: Config{Duplicate: -0.1}, want: []string{"impair: duplicate -0.1 out of range"}},
		{name: "bad gilbert-elliott", cfg: Config{GE: &GilbertElliott{P: 2, OneMinusK: -1}},
			want: []string{"impair: gilbert-elliott p 2 out of range", "impair: gilbert-elliott 1-k -1 out of range"}},
		{name: "negative durations", cfg: Config{Delay: -time.Millisecond, Jitter: -1, Queue: -time.Second},
			want: []string{"impair: delay -1ms is negative", "impair: jitter -1ns is negative", "impair: queue -1s is negative"}},
		{name: "negative rate and burst", cfg: Config{Rate: -1, Burst: -2},
			want: []string{"impair: rate -1 is negative", "impair: burst -2 is negative"}},
		{name: "unknown distribution", cfg: Config{Distribution: "cauchy"}, want: []string{`impair: distribution "cauchy" unknown`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.want) == 0 {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidConfig))
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestConfigIsZero(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want bool
	}{
		{"zero value", Config{}, true},
		{"shaping knobs only", Config{Distribution: DistNormal, Reorder: true, Burst: 9000, Queue: time.Second}, true},
		{"lossless gilbert-elliott", Config{GE: &GilbertElliott{P: 0.5, R: 0.5}}, true},
		{"loss", Config{Loss: 0.01}, false},
		{"lossy gilbert-elliott", Config{GE: &GilbertElliott{P: 0.1, R: 0.5, OneMinusH: 1}}, false},
		{"delay", Config{Delay: time.Millisecond}, false},
		{"jitter", Config{Jitter: time.Millisecond}, false},
		{"rate", Config{Rate: 1}, false},
		{"duplicate", Config{Duplicate: 0.1}, false},
		{"outage", Config{Outage: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.cfg.IsZero())
		})
	}
}

func TestGilbertElliottFormulas(t *testing.T) {
	tests := []struct {
		name       string
		ge         GilbertElliott
		loss, mean float64
	}{
		{"simple gilbert: bursts last 1/r", GilbertElliott{P: 0.01, R: 0.25, OneMinusH: 1}, 0.01 / 0.26, 4},
		{"bernoulli in disguise", GilbertElliott{P: 0.3, R: 0.7, OneMinusH: 0.1, OneMinusK: 0.1}, 0.1, 1 / 0.9},
		{"lossless", GilbertElliott{P: 0.1, R: 0.1}, 0, 0},
		{"stuck in good state", GilbertElliott{OneMinusH: 1, OneMinusK: 0.2}, 0.2, 1 / 0.8},
		{"everything lost", GilbertElliott{P: 0.2, R: 0.3, OneMinusH: 1, OneMinusK: 1}, 1, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.loss, tt.ge.LossRate(), 1e-12)
			if math.IsInf(tt.mean, 1) {
				assert.True(t, math.IsInf(tt.ge.MeanBurstLength(), 1))
				return
			}
			assert.InDelta(t, tt.mean, tt.ge.MeanBurstLength(), 1e-9)
		})
	}
}

func TestConfigMeanDelay(t *testing.T) {
	const j = 30 * time.Millisecond
	tests := []struct {
		dist Distribution
		want time.Duration
	}{
		{"", j},
		{DistUniform, j},
		{DistNormal, time.Duration(float64(j) * math.Sqrt(2/math.Pi))},
		{DistPareto, j / 2},
	}
	for _, tt := range tests {
		t.Run(string(tt.dist), func(t *testing.T) {
			c := Config{Delay: 40 * time.Millisecond, Jitter: j, Distribution: tt.dist}
			assert.Equal(t, tt.want, c.MeanJitter())
			assert.Equal(t, 40*time.Millisecond+tt.want, c.MeanDelay())
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		name         string
		cfg          Config
		burst, queue float64
	}{
		{"slow link gets two packets of burst and one of queue", Config{Rate: 64_000}, MinBurst, mtu},
		{"fast link gets 10 ms of burst and 100 ms of queue", Config{Rate: 8_000_000}, 10_000, 100_000},
		{"explicit values win", Config{Rate: 8_000_000, Burst: 1234, Queue: time.Second}, 1234, 1_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.burst, tt.cfg.burstBytes(), 1e-9)
			assert.InDelta(t, tt.queue, tt.cfg.queueBytes(), 1e-9)
		})
	}
}
