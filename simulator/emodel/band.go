package emodel

// Band is a verbal quality rating for a MOS, the word a support agent would
// use with a customer.
type Band string

// The bands follow qualityRTC's wording. Cut-offs: a MOS above 4 is
// excellent, [3.5, 4] good, [3, 3.5) fair, [2.5, 3) poor, below 2.5 bad.
// Each boundary value belongs to the better band except 4 itself, which G.107
// reaches only on a near-perfect narrowband call and is called good.
const (
	BandExcellent Band = "excellent"
	BandGood      Band = "good"
	BandFair      Band = "fair"
	BandPoor      Band = "poor"
	BandBad       Band = "bad"
)

// BandOf returns the band a MOS falls in (see the Band constants for the
// cut-offs). NaN is bad.
func BandOf(mos float64) Band {
	switch {
	case mos > 4:
		return BandExcellent
	case mos >= 3.5:
		return BandGood
	case mos >= 3:
		return BandFair
	case mos >= 2.5:
		return BandPoor
	default:
		return BandBad
	}
}
