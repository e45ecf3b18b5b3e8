package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// unit says how a numeric field is written in a file and what number it
// stands for once parsed.
type unit int

const (
	unitPercent  unit = iota // "12%" -> 0.12
	unitDuration             // "150ms" -> nanoseconds
	unitBitrate              // "800kbps" -> bit/s
	unitSize                 // "30KB" -> bytes
	unitCount                // 5000 -> 5000
)

// Patterns of one value per unit. They are also written into the JSON
// Schema, so editors reject what the loader rejects.
const (
	numberPattern   = `[0-9]+(\.[0-9]+)?`
	percentPattern  = numberPattern + `%`
	durationPattern = `(` + numberPattern + `(us|ms|s|m|h))+`
	bitratePattern  = numberPattern + `(bps|kbps|Mbps|Gbps)`
	sizePattern     = numberPattern + `(B|KB|KiB|MB|MiB)`
	countPattern    = `[0-9]+`
)

var (
	percentRE  = regexp.MustCompile(`^(` + numberPattern + `)%$`)
	durationRE = regexp.MustCompile(`^` + durationPattern + `$`)
	bitrateRE  = regexp.MustCompile(`^(` + numberPattern + `)(bps|kbps|Mbps|Gbps)$`)
	sizeRE     = regexp.MustCompile(`^(` + numberPattern + `)(B|KB|KiB|MB|MiB)$`)
	countRE    = regexp.MustCompile(`^` + countPattern + `$`)
)

var (
	bitrateScale = map[string]float64{"bps": 1, "kbps": 1e3, "Mbps": 1e6, "Gbps": 1e9}
	sizeScale    = map[string]float64{"B": 1, "KB": 1e3, "KiB": 1 << 10, "MB": 1e6, "MiB": 1 << 20}
)

func (u unit) pattern() string {
	switch u {
	case unitPercent:
		return percentPattern
	case unitDuration:
		return durationPattern
	case unitBitrate:
		return bitratePattern
	case unitSize:
		return sizePattern
	default:
		return countPattern
	}
}

// example is quoted in messages so that a trainer sees the accepted form.
func (u unit) example() string {
	switch u {
	case unitPercent:
		return "a percentage like 12%"
	case unitDuration:
		return "a duration like 150ms, 2s or 3m"
	case unitBitrate:
		return "a bitrate like 800kbps or 2Mbps"
	case unitSize:
		return "a size like 1500B, 30KB or 1MiB"
	default:
		return "a whole number like 5000"
	}
}

// quantum is the step variants are rounded to: finer steps would only make
// the canonical form noisy without changing what a trainee sees.
func (u unit) quantum() float64 {
	switch u {
	case unitPercent:
		return 1e-4
	case unitDuration:
		return float64(time.Millisecond)
	case unitBitrate:
		return 1e3
	default:
		return 1
	}
}

// parseUnit parses one value written with its unit.
func parseUnit(u unit, s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%q must not be negative", s)
	}
	var v float64
	var err error
	switch u {
	case unitPercent:
		m := percentRE.FindStringSubmatch(s)
		if m == nil {
			return 0, fmt.Errorf("%q is not %s", s, u.example())
		}
		v, err = strconv.ParseFloat(m[1], 64)
		if err == nil && v > 100 {
			return 0, fmt.Errorf("%s is over 100%%", s)
		}
		v /= 100
	case unitDuration:
		if !durationRE.MatchString(s) {
			return 0, fmt.Errorf("%q is not %s", s, u.example())
		}
		var d time.Duration
		d, err = time.ParseDuration(s)
		v = float64(d)
	case unitBitrate:
		m := bitrateRE.FindStringSubmatch(s)
		if m == nil {
			return 0, fmt.Errorf("%q is not %s", s, u.example())
		}
		v, err = strconv.ParseFloat(m[1], 64)
		v *= bitrateScale[m[3]]
	case unitSize:
		m := sizeRE.FindStringSubmatch(s)
		if m == nil {
			return 0, fmt.Errorf("%q is not %s", s, u.example())
		}
		v, err = strconv.ParseFloat(m[1], 64)
		v *= sizeScale[m[3]]
	default:
		if !countRE.MatchString(s) {
			return 0, fmt.Errorf("%q is not %s", s, u.example())
		}
		v, err = strconv.ParseFloat(s, 64)
	}
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || v > 1e15 {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return v, nil
}

// formatUnit writes a parsed value back in its unit, for messages.
func formatUnit(u unit, v float64) string {
	switch u {
	case unitPercent:
		return strconv.FormatFloat(v*100, 'f', -1, 64) + "%"
	case unitDuration:
		return time.Duration(v).String()
	case unitBitrate:
		switch {
		case v >= 1e6:
			return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "Mbps"
		case v >= 1e3:
			return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "kbps"
		}
		return strconv.FormatFloat(v, 'f', -1, 64) + "bps"
	case unitSize:
		return strconv.FormatFloat(v, 'f', -1, 64) + "B"
	default:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
}

// ParsePercent parses a percentage as scenario files write it ("12%") into a
// fraction (0.12), for flags and tools that share the file format's units.
func ParsePercent(s string) (float64, error) {
	return parseUnit(unitPercent, s)
}

// ParseDuration parses a non-negative duration with its unit ("150ms").
func ParseDuration(s string) (time.Duration, error) {
	v, err := parseUnit(unitDuration, s)
	return time.Duration(v), err
}

// ParseBitrate parses a bitrate ("800kbps", "2Mbps") into bit/s.
func ParseBitrate(s string) (int64, error) {
	v, err := parseUnit(unitBitrate, s)
	return int64(v), err
}

// ParseSize parses a byte size ("30KB", "64KiB") into bytes.
func ParseSize(s string) (int64, error) {
	v, err := parseUnit(unitSize, s)
	return int64(v), err
}
