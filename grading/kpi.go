package grading

import (
	"sort"
	"time"
)

// KPIs are the desk's figures over a set of handled attempts (every graded
// attempt is a handled contact).
type KPIs struct {
	// Attempts is the number of handled attempts.
	Attempts int
	// MeanScore is the mean attempt score (0-100).
	MeanScore Figure
	// FCR = 100 × first-contact resolved / handled.
	FCR Figure
	// AHTSeconds = total handle time / handled, in seconds.
	AHTSeconds Figure
	// CSAT = 100 × ratings of 4 or 5 / ratings.
	CSAT Figure
	// MeanRating is the mean simulated rating (1-5).
	MeanRating Figure
	// Fatal counts attempts zeroed by a harmful action.
	Fatal int
}

// kpiAcc accumulates KPIs in one pass.
type kpiAcc struct {
	n, fcr, satisfied, fatal, ratings int
	score                             float64
	handle                            time.Duration
}

func (k *kpiAcc) add(r *Result) {
	b := &r.Breakdown
	k.n++
	k.score += b.Score
	k.handle += b.HandleTime
	k.ratings += b.CSAT.Rating
	if b.FirstContactResolved {
		k.fcr++
	}
	if b.CSAT.Satisfied() {
		k.satisfied++
	}
	if b.Fatal {
		k.fatal++
	}
}

func (k *kpiAcc) kpis() KPIs {
	out := KPIs{Attempts: k.n, Fatal: k.fatal, FCR: ratio(k.fcr, k.n), CSAT: ratio(k.satisfied, k.n)}
	if k.n > 0 {
		n := float64(k.n)
		out.MeanScore = Known(k.score / n)
		out.AHTSeconds = Known(k.handle.Seconds() / n)
		out.MeanRating = Known(float64(k.ratings) / n)
	}
	return out
}

// Verdict classifies a fault class for a trainee or group.
type Verdict string

// The verdicts; TooFew when there are fewer attempts than the bands require.
const (
	// VerdictStrength: mean score at or above the strong band.
	VerdictStrength Verdict = "strength"
	// VerdictWeakness: mean score below the weak band.
	VerdictWeakness Verdict = "weakness"
	// VerdictNeutral: in between.
	VerdictNeutral Verdict = "neutral"
	// VerdictTooFew: too few attempts to judge.
	VerdictTooFew Verdict = "too-few"
)

// ClassRow is the KPIs of one fault class with its verdict.
type ClassRow struct {
	FaultClass string
	KPIs       KPIs
	Verdict    Verdict
}

func (b ClassBands) verdict(k KPIs) Verdict {
	switch {
	case k.Attempts < b.MinAttempts || !k.MeanScore.OK:
		return VerdictTooFew
	case k.MeanScore.Value >= b.Strong:
		return VerdictStrength
	case k.MeanScore.Value < b.Weak:
		return VerdictWeakness
	}
	return VerdictNeutral
}

// classRows turns per-class accumulators into rows, weakest first so the
// page leads with what to train.
func classRows(accs map[string]*kpiAcc, bands ClassBands) []ClassRow {
	rows := make([]ClassRow, 0, len(accs))
	for class, acc := range accs {
		k := acc.kpis()
		rows = append(rows, ClassRow{FaultClass: class, KPIs: k, Verdict: bands.verdict(k)})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i].KPIs.MeanScore.Value, rows[j].KPIs.MeanScore.Value
		if a != b {
			return a < b
		}
		return rows[i].FaultClass < rows[j].FaultClass
	})
	return rows
}

// Period is one day of a trend chart.
type Period struct {
	// Start is midnight of the day in the grader's location.
	Start time.Time
	KPIs  KPIs
}

// trendAcc buckets attempts by calendar day of submission.
type trendAcc struct {
	loc  *time.Location
	days map[time.Time]*kpiAcc
}

func (t *trendAcc) add(r *Result) {
	s := r.Attempt.SubmittedAt.In(t.loc)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, t.loc)
	acc, ok := t.days[day]
	if !ok {
		acc = &kpiAcc{}
		t.days[day] = acc
	}
	acc.add(r)
}

func (t *trendAcc) periods() []Period {
	out := make([]Period, 0, len(t.days))
	for day, acc := range t.days {
		out = append(out, Period{Start: day, KPIs: acc.kpis()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// accFor returns the accumulator for key, creating it on first use.
func accFor(m map[string]*kpiAcc, key string) *kpiAcc {
	acc, ok := m[key]
	if !ok {
		acc = &kpiAcc{}
		m[key] = acc
	}
	return acc
}
