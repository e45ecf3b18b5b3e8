package grading

import "sort"

// ItemStats are a scenario's item statistics over the selected attempts.
type ItemStats struct {
	// N is the number of scores the facility is computed on: submissions in a
	// scenario report, sittings that drew the item in an exam report (where
	// a drawn item not submitted scores 0, as it does in the exam score).
	N int
	// Submitted is the number of submissions the time, FCR and wrong
	// diagnoses are computed on.
	Submitted int
	// Facility = 100 × mean item score / maximum item score (100).
	Facility Figure
	// Discrimination = 100 × Pearson r of the item score with the rest of the
	// exam (the sitting's score without this item), over DiscriminationN
	// sittings; n/a below two sittings or when either side does not vary.
	Discrimination  Figure
	DiscriminationN int
	MeanSeconds     Figure
	MedianSeconds   Figure
	FCR             Figure
	// WrongDiagnoses are the most frequent wrong root causes, most frequent
	// first; an empty RootCause means none was given.
	WrongDiagnoses []WrongDiagnosis
}

// WrongDiagnosis is a wrong root cause and how often it was submitted.
type WrongDiagnosis struct {
	RootCause string
	Count     int
	// Share = 100 × Count / Submitted.
	Share Figure
}

// itemAcc accumulates one item's statistics.
type itemAcc struct {
	score     moments
	submitted int
	fcr       int
	secs      []float64
	wrong     map[string]int
	disc      comoments
}

// addSubmission counts a submitted attempt; when scored is set its score also
// enters the facility (the scenario report's case).
func (it *itemAcc) addSubmission(r *Result, rootCause string, scored bool) {
	it.submitted++
	if scored {
		it.score.add(r.Breakdown.Score)
	}
	if r.Breakdown.FirstContactResolved {
		it.fcr++
	}
	it.secs = append(it.secs, r.Breakdown.HandleTime.Seconds())
	if r.Attempt.RootCause != rootCause {
		if it.wrong == nil {
			it.wrong = make(map[string]int)
		}
		it.wrong[r.Attempt.RootCause]++
	}
}

func (it *itemAcc) stats(top int) ItemStats {
	s := ItemStats{N: it.score.n, Submitted: it.submitted, Facility: it.score.meanFigure(),
		Discrimination: it.disc.correlation(), DiscriminationN: it.disc.n, FCR: ratio(it.fcr, it.submitted),
		WrongDiagnoses: []WrongDiagnosis{}}
	if len(it.secs) > 0 {
		var m moments
		for _, x := range it.secs {
			m.add(x)
		}
		s.MeanSeconds = Known(m.mean)
		s.MedianSeconds = median(it.secs)
	}
	for rc, n := range it.wrong {
		s.WrongDiagnoses = append(s.WrongDiagnoses, WrongDiagnosis{RootCause: rc, Count: n, Share: ratio(n, it.submitted)})
	}
	sort.Slice(s.WrongDiagnoses, func(i, j int) bool {
		a, b := s.WrongDiagnoses[i], s.WrongDiagnoses[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.RootCause < b.RootCause
	})
	if len(s.WrongDiagnoses) > top {
		s.WrongDiagnoses = s.WrongDiagnoses[:top]
	}
	return s
}
