package scenarios

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVariantIsByteIdenticalForASeed(t *testing.T) {
	lib := loadLibrary(t)
	scenarios := append(lib.Scenarios(), loadFixture(t, "ranges.yaml"))
	for _, s := range scenarios {
		t.Run(string(s.ID), func(t *testing.T) {
			// A fresh parse of the same bytes stands in for a replay later.
			again, err := ParseScenario(s.File(), readFile(t, s.File()), lib.Catalog())
			require.NoError(t, err)
			for _, seed := range []uint64{0, 1, 42, math.MaxUint64} {
				a, err := s.Variant(seed).Canonical()
				require.NoError(t, err)
				b, err := again.Variant(seed).Canonical()
				require.NoError(t, err)
				assert.Equal(t, string(a), string(b), "seed %d", seed)
			}
		})
	}
}

func TestVariantCarriesIdentity(t *testing.T) {
	s := loadFixture(t, "ranges.yaml")
	v := s.Variant(math.MaxUint64)
	b, err := v.Canonical()
	require.NoError(t, err)
	var decoded map[string]any
	require.NoError(t, json.Unmarshal(b, &decoded))
	assert.Equal(t, "18446744073709551615", decoded["seed"], "seeds travel as strings: JavaScript numbers lose 64-bit precision")
	assert.Equal(t, s.ContentHash(), decoded["content_hash"])
	assert.Equal(t, "ranges-fixture", decoded["scenario_id"])
}

func TestDifferentSeedsDiffer(t *testing.T) {
	lib := loadLibrary(t)
	for _, s := range lib.Scenarios() {
		varies := false
		for _, ph := range s.Timeline {
			for _, im := range []*ImpairmentSpec{ph.Uplink, ph.Downlink} {
				if im != nil && (im.Loss.varies() || im.Delay.varies() || im.Jitter.varies() || im.Rate.varies() || im.Burst != nil) {
					varies = true
				}
			}
		}
		if !varies {
			continue
		}
		t.Run(string(s.ID), func(t *testing.T) {
			seen := make(map[string]bool)
			for seed := range uint64(20) {
				b, err := s.Variant(seed).Canonical()
				require.NoError(t, err)
				seen[string(b)] = true
			}
			assert.Greater(t, len(seen), 15, "20 seeds should give (nearly) 20 variants")
		})
	}
}

// TestSeedsCoverTheRanges draws many seeds and checks every value stays in
// its range and reaches close to both ends, and every choice appears.
func TestSeedsCoverTheRanges(t *testing.T) {
	s := loadFixture(t, "ranges.yaml")
	ms := float64(time.Millisecond)
	tests := []struct {
		name    string
		get     func(v *Variant) float64
		lo, hi  float64
		choices []float64
	}{
		{name: "duration", get: func(v *Variant) float64 { return v.Length.Seconds() }, choices: []float64{30, 45, 60}},
		{name: "uplink.loss", get: func(v *Variant) float64 { return v.Phases[0].Uplink.Loss }, lo: 0.08, hi: 0.15},
		{name: "uplink.delay", get: func(v *Variant) float64 { return float64(v.Phases[0].Uplink.Delay) / ms }, lo: 100, hi: 250},
		{name: "uplink.rate", get: func(v *Variant) float64 { return float64(v.Phases[0].Uplink.Rate) }, lo: 600e3, hi: 1.2e6},
		{name: "uplink.burst_bytes", get: func(v *Variant) float64 { return float64(v.Phases[0].Uplink.BurstBytes) }, lo: 10e3, hi: 40e3},
		{name: "uplink.queue", get: func(v *Variant) float64 { return float64(v.Phases[0].Uplink.Queue) / ms }, choices: []float64{100, 200}},
		{name: "downlink.burst.p", get: func(v *Variant) float64 { return v.Phases[0].Downlink.Burst.P }, lo: 0.01, hi: 0.05},
		{name: "downlink.burst.r", get: func(v *Variant) float64 { return v.Phases[0].Downlink.Burst.R }, lo: 0.2, hi: 0.4},
		{name: "downlink.burst.one_minus_h", get: func(v *Variant) float64 { return v.Phases[0].Downlink.Burst.OneMinusH }, choices: []float64{0.5, 1}},
		{name: "downlink.jitter", get: func(v *Variant) float64 { return float64(v.Phases[0].Downlink.Jitter) / ms }, lo: 10, hi: 30},
		{name: "downlink.duplicate", get: func(v *Variant) float64 { return v.Phases[0].Downlink.Duplicate }, lo: 0.005, hi: 0.01},
		{name: "at", get: func(v *Variant) float64 { return v.Phases[1].At.Seconds() }, lo: 5, hi: 8},
		{name: "ramp", get: func(v *Variant) float64 { return v.Phases[1].Ramp.Seconds() }, lo: 1, hi: 2},
		{name: "server_load.cpu", get: func(v *Variant) float64 { return v.Phases[1].Faults.ServerLoad.CPU }, lo: 0.8, hi: 0.95},
		{name: "server_load.sessions", get: func(v *Variant) float64 { return float64(v.Phases[1].Faults.ServerLoad.Sessions) }, lo: 1000, hi: 5000},
		{name: "signaling.delay", get: func(v *Variant) float64 { return v.Phases[1].Faults.SignalingDelay.Seconds() }, lo: 1, hi: 3},
	}
	const seeds = 2000
	variants := make([]*Variant, seeds)
	for i := range variants {
		variants[i] = s.Variant(uint64(i))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := math.Inf(1), math.Inf(-1)
			seen := make(map[float64]int)
			for _, v := range variants {
				x := tt.get(v)
				lo, hi = min(lo, x), max(hi, x)
				seen[x]++
			}
			if tt.choices != nil {
				assert.Len(t, seen, len(tt.choices))
				for _, c := range tt.choices {
					// Each choice is drawn with probability 1/n; far below
					// half its share would mean a biased pick.
					assert.Greater(t, seen[c], seeds/len(tt.choices)/2, "choice %v", c)
				}
				return
			}
			margin := (tt.hi - tt.lo) * 0.02
			assert.GreaterOrEqual(t, lo, tt.lo)
			assert.LessOrEqual(t, hi, tt.hi)
			assert.Less(t, lo, tt.lo+margin, "draws should reach the low end")
			assert.Greater(t, hi, tt.hi-margin, "draws should reach the high end")
		})
	}
}

func TestImpairmentAtFollowsRamps(t *testing.T) {
	v := loadFixture(t, "ramp.yaml").Variant(7)
	ms := time.Millisecond
	tests := []struct {
		name        string
		at          time.Duration
		up, down    Impairment
		cpu         float64
		sessions    int64
		signalingOK bool
	}{
		{name: "before the call", at: -time.Second,
			up:   Impairment{Loss: 0.02, Delay: 100 * ms, Rate: 2e6, Queue: 100 * ms},
			down: Impairment{Delay: 50 * ms}, cpu: 0.5, sessions: 1000},
		{name: "first phase", at: 5 * time.Second,
			up:   Impairment{Loss: 0.02, Delay: 100 * ms, Rate: 2e6, Queue: 100 * ms},
			down: Impairment{Delay: 50 * ms}, cpu: 0.5, sessions: 1000},
		{name: "ramp starts", at: 10 * time.Second,
			up:   Impairment{Loss: 0.02, Delay: 100 * ms, Jitter: 0, Distribution: "uniform", Rate: 2e6, Queue: 100 * ms},
			down: Impairment{Delay: 50 * ms, Burst: &GilbertElliott{P: 0.05, R: 0.5, OneMinusH: 1}},
			cpu:  0.5, sessions: 1000},
		{name: "ramp half way", at: 15 * time.Second,
			up:   Impairment{Loss: 0.07, Delay: 200 * ms, Jitter: 10 * ms, Distribution: "uniform", Rate: 1.5e6, Queue: 150 * ms},
			down: Impairment{Delay: 100 * ms, Burst: &GilbertElliott{P: 0.05, R: 0.5, OneMinusH: 1}},
			cpu:  0.7, sessions: 2000},
		{name: "ramp done", at: 20 * time.Second,
			up:   Impairment{Loss: 0.12, Delay: 300 * ms, Jitter: 20 * ms, Distribution: "uniform", Rate: 1e6, Queue: 200 * ms},
			down: Impairment{Delay: 150 * ms, Burst: &GilbertElliott{P: 0.05, R: 0.5, OneMinusH: 1}},
			cpu:  0.9, sessions: 3000},
		{name: "outage, no ramp", at: 25 * time.Second, up: Impairment{Outage: true}},
		{name: "past the end", at: time.Hour, up: Impairment{Outage: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, down := v.ImpairmentAt(tt.at)
			assertImpairment(t, tt.up, up)
			assertImpairment(t, tt.down, down)
			f := v.FaultsAt(tt.at)
			if tt.cpu == 0 {
				assert.Nil(t, f.ServerLoad)
				return
			}
			require.NotNil(t, f.ServerLoad)
			assert.InDelta(t, tt.cpu, f.ServerLoad.CPU, 1e-9)
			assert.Equal(t, tt.sessions, f.ServerLoad.Sessions)
		})
	}
	assert.Equal(t, 40*time.Second, v.Duration())
}

func assertImpairment(t *testing.T, want, got Impairment) {
	t.Helper()
	assert.InDelta(t, want.Loss, got.Loss, 1e-9, "loss")
	assert.Equal(t, want.Delay, got.Delay, "delay")
	assert.Equal(t, want.Jitter, got.Jitter, "jitter")
	assert.Equal(t, want.Distribution, got.Distribution, "distribution")
	assert.Equal(t, want.Rate, got.Rate, "rate")
	assert.Equal(t, want.Queue, got.Queue, "queue")
	assert.Equal(t, want.Outage, got.Outage, "outage")
	assert.Equal(t, want.Burst, got.Burst, "burst")
}

func TestImpairmentAtIsPure(t *testing.T) {
	v := loadFixture(t, "ramp.yaml").Variant(1)
	before, err := v.Canonical()
	require.NoError(t, err)
	_, down := v.ImpairmentAt(15 * time.Second)
	down.Burst.P = 0.9
	_, down = v.ImpairmentAt(30 * time.Second)
	f := v.FaultsAt(30 * time.Second)
	f.CodecOffer = append(f.CodecOffer, "av1")
	after, err := v.Canonical()
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "callers cannot change a variant through returned values")
	assert.Nil(t, down.Burst, "the third phase has no burst model")
}

func TestGilbertElliottMeanLoss(t *testing.T) {
	tests := []struct {
		name string
		g    GilbertElliott
		want float64
	}{
		{name: "classic burst", g: GilbertElliott{P: 0.04, R: 0.36, OneMinusH: 1}, want: 0.1},
		{name: "partial bad state", g: GilbertElliott{P: 0.05, R: 0.45, OneMinusH: 0.8, OneMinusK: 0.01}, want: (0.05*0.8 + 0.45*0.01) / 0.5},
		{name: "never leaves good", g: GilbertElliott{OneMinusK: 0.02}, want: 0.02},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, tt.g.MeanLoss(), 1e-12)
		})
	}
}

func TestFixtureHashIsOfTheFileBytes(t *testing.T) {
	path := filepath.Join("testdata", "valid", "ramp.yaml")
	s := loadFixture(t, "ramp.yaml")
	edited := append(readFile(t, path), []byte("# a trailing comment changes the hash\n")...)
	again, err := ParseScenario(path, edited, loadCatalog(t))
	require.NoError(t, err)
	assert.NotEqual(t, s.ContentHash(), again.ContentHash())
}
