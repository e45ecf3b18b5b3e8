package emodel_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rtcdrill/rtcdrill/simulator/emodel"
)

func TestMOSCheckPoints(t *testing.T) {
	tests := []struct {
		r    float64
		want float64
	}{
		{r: 93.2, want: 4.41},
		{r: 90, want: 4.34},
		{r: 80, want: 4.02},
		{r: 70, want: 3.60},
		{r: 50, want: 2.58},
		{r: -5, want: 1},
		{r: 0, want: 1},
		// The Annex B polynomial gives 0.992 here; the scale stops at 1.
		{r: 5, want: 1},
		{r: 100, want: 4.5},
		{r: 120, want: 4.5},
		{r: math.NaN(), want: 1},
	}
	for _, tt := range tests {
		t.Run(format(tt.r), func(t *testing.T) {
			assert.InDelta(t, tt.want, emodel.MOS(tt.r), 0.0051)
		})
	}
}

func TestR(t *testing.T) {
	tests := []struct {
		name   string
		delay  time.Duration
		loss   float64
		burstR float64
		codec  emodel.Codec
		want   float64
	}{
		{name: "g711 perfect", codec: emodel.G711(), burstR: 1, want: 93.2},
		// Id = 0.024 * 100 = 2.4.
		{name: "g711 100ms", delay: 100 * time.Millisecond, codec: emodel.G711(), burstR: 1, want: 90.8},
		// Id = 0.024*200 + 0.11*(200-177.3) = 4.8 + 2.497.
		{name: "g711 200ms", delay: 200 * time.Millisecond, codec: emodel.G711(), burstR: 1, want: 85.903},
		// Ie,eff = 95 * 1 / (1 + 25.1) = 3.6398.
		{name: "g711 1% random", loss: 1, burstR: 1, codec: emodel.G711(), want: 89.560},
		// Ie,eff = 95 * 100 / (100 + 25.1) = 75.94.
		{name: "g711 total loss", loss: 100, burstR: 1, codec: emodel.G711(), want: 17.260},
		{name: "opus perfect", codec: emodel.Opus(), burstR: 1, want: 82.5},
		// Ie,eff = 10.7 + 84.3 * 1 / (1 + 9.8) = 18.5056.
		{name: "opus 1% random", loss: 1, burstR: 1, codec: emodel.Opus(), want: 74.694},
		// Ie,eff = 10.7 + 84.3 * 5 / (5/2 + 9.8) = 44.968.
		{name: "opus 5% bursty", loss: 5, burstR: 2, codec: emodel.Opus(), want: 48.232},
		// 18.5056 as above plus Id = 0.024*150 = 3.6.
		{name: "opus 150ms 1%", delay: 150 * time.Millisecond, loss: 1, burstR: 1, codec: emodel.Opus(), want: 71.094},
		{name: "negative delay is zero", delay: -time.Second, codec: emodel.G711(), burstR: 1, want: 93.2},
		{name: "loss above 100 is 100", loss: 250, burstR: 1, codec: emodel.G711(), want: 17.260},
		{name: "negative loss is zero", loss: -3, burstR: 1, codec: emodel.G711(), want: 93.2},
		{name: "NaN loss is total loss", loss: math.NaN(), burstR: 1, codec: emodel.G711(), want: 17.260},
		{name: "NaN burst ratio is random", loss: 1, burstR: math.NaN(), codec: emodel.G711(), want: 89.560},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, emodel.R(tt.delay, tt.loss, tt.burstR, tt.codec), 0.001)
		})
	}
}

func TestEstimate(t *testing.T) {
	tests := []struct {
		name  string
		delay time.Duration
		loss  float64
		codec emodel.Codec
		want  float64
		band  emodel.Band
	}{
		{name: "g711 perfect", codec: emodel.G711(), want: 4.41, band: emodel.BandExcellent},
		// R 82.5: 1 + 2.8875 + 82.5*22.5*17.5*7e-6.
		{name: "opus perfect", codec: emodel.Opus(), want: 4.11, band: emodel.BandExcellent},
		// R 74.694: 1 + 2.6143 + 74.694*14.694*25.306*7e-6.
		{name: "opus 1% loss", loss: 1, codec: emodel.Opus(), want: 3.81, band: emodel.BandGood},
		// R 17.26: 1 + 0.6041 - 17.26*42.74*82.74*7e-6.
		{name: "g711 total loss", loss: 100, codec: emodel.G711(), want: 1.18, band: emodel.BandBad},
		{name: "huge delay", delay: 10 * time.Second, codec: emodel.G711(), want: 1, band: emodel.BandBad},
		{name: "opus total loss, huge delay", delay: time.Hour, loss: 100, codec: emodel.Opus(), want: 1, band: emodel.BandBad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := emodel.Estimate(tt.delay, tt.loss, 1, tt.codec)
			assert.InDelta(t, tt.want, got, 0.0051)
			assert.False(t, math.IsNaN(got))
			assert.Equal(t, tt.band, emodel.BandOf(got))
		})
	}
}

func TestEstimateMonotonic(t *testing.T) {
	for _, c := range []emodel.Codec{emodel.Opus(), emodel.G711()} {
		t.Run(c.Name, func(t *testing.T) {
			prev := math.Inf(1)
			for loss := 0.0; loss <= 100; loss += 0.5 {
				got := emodel.Estimate(50*time.Millisecond, loss, 1, c)
				assert.LessOrEqual(t, got, prev, "loss %.1f", loss)
				assert.GreaterOrEqual(t, got, 1.0)
				prev = got
			}
			prev = math.Inf(1)
			for d := time.Duration(0); d <= 2*time.Second; d += 10 * time.Millisecond {
				got := emodel.Estimate(d, 2, 1, c)
				assert.LessOrEqual(t, got, prev, "delay %v", d)
				prev = got
			}
		})
	}
}

func TestBurstLossHurtsMore(t *testing.T) {
	random := emodel.Estimate(0, 5, emodel.BurstR(0.05, 0.95), emodel.Opus())
	bursty := emodel.Estimate(0, 5, emodel.BurstR(0.02, 0.4), emodel.Opus())
	assert.Less(t, bursty, random)
}

func TestBurstR(t *testing.T) {
	tests := []struct {
		name string
		p, r float64
		want float64
	}{
		{name: "random loss", p: 0.1, r: 0.9, want: 1},
		{name: "bursty", p: 0.05, r: 0.45, want: 2},
		{name: "long bursts", p: 0.01, r: 0.09, want: 10},
		{name: "more spread than random", p: 0.6, r: 1, want: 0.625},
		{name: "no transitions", p: 0, r: 0, want: 1},
		{name: "clamped", p: -1, r: 2, want: 1},
		{name: "NaN", p: math.NaN(), r: 0.5, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, emodel.BurstR(tt.p, tt.r), 1e-9)
		})
	}
}

func TestBandOf(t *testing.T) {
	tests := []struct {
		mos  float64
		want emodel.Band
	}{
		{mos: 4.5, want: emodel.BandExcellent},
		{mos: 4.01, want: emodel.BandExcellent},
		{mos: 4, want: emodel.BandGood},
		{mos: 3.5, want: emodel.BandGood},
		{mos: 3.49, want: emodel.BandFair},
		{mos: 3, want: emodel.BandFair},
		{mos: 2.99, want: emodel.BandPoor},
		{mos: 2.5, want: emodel.BandPoor},
		{mos: 2.49, want: emodel.BandBad},
		{mos: 1, want: emodel.BandBad},
		{mos: math.NaN(), want: emodel.BandBad},
	}
	for _, tt := range tests {
		t.Run(format(tt.mos), func(t *testing.T) {
			assert.Equal(t, tt.want, emodel.BandOf(tt.mos))
		})
	}
}

func TestCodecs(t *testing.T) {
	assert.Equal(t, emodel.Codec{Name: "g711", Ie: 0, Bpl: 25.1}, emodel.G711())
	assert.Equal(t, emodel.Codec{Name: "opus", Ie: 10.7, Bpl: 9.8}, emodel.Opus())
}

func format(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}
