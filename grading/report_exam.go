package grading

import (
	"fmt"
	"slices"
)

// ExamItemStats are one exam item's statistics within the exam.
type ExamItemStats struct {
	ScenarioID string
	Weight     float64
	Stats      ItemStats
}

// ExamReport is an exam's score distribution, pass rate, reliability and
// item statistics over the selected sittings.
type ExamReport struct {
	ExamID    string
	PassMark  float64
	Selection Selection
	// Scores is the distribution of sitting scores.
	Scores Distribution
	// PassRate = 100 × sittings passed / sittings.
	PassRate Figure
	// Alpha is Cronbach's alpha over the items' weighted points, over the
	// items every sitting drew; n/a when DrawsDiffer.
	Alpha Figure
	// DrawsDiffer is set when the selected sittings did not all draw the same
	// items: alpha needs every sitting to answer every item it covers, and
	// filling the gaps would invent scores, so Alpha is n/a.
	DrawsDiffer bool
	// Items are in the exam's order.
	Items []ExamItemStats
	// Sittings are in submission order.
	Sittings []Sitting
}

// ExamReport builds an exam's report: one pass over results groups the
// selected sittings, one pass over the sittings computes the statistics.
// A sitting counts only the items it drew (Attempt.Drawn), a drawn item not
// submitted scoring 0, as in the exam score; an item's facility and
// discrimination are over the sittings that drew it.
func (g *Grader) ExamReport(results []Result, examID string) (ExamReport, error) {
	def, ok := g.exams[examID]
	if !ok {
		return ExamReport{}, fmt.Errorf("exam report %q: %w", examID, ErrNotFound)
	}
	rep := ExamReport{ExamID: examID, PassMark: def.exam.PassMark, Selection: g.selection}
	p := len(def.exam.Items)
	items := make([]itemAcc, p)
	sittings := make(map[sittingKey]*sittingAcc)
	for i := range results {
		r := &results[i]
		if r.Attempt.ExamID != examID || !g.selection.includes(r.Attempt.AttemptNo) {
			continue
		}
		j, ok := def.index[r.Attempt.ScenarioID]
		if !ok {
			continue
		}
		g.addSitting(sittings, r)
		items[j].addSubmission(r, g.keys[r.Attempt.ScenarioID].key.RootCause, false)
	}
	points := make([]moments, p)
	var total moments
	accs := sortedAccs(sittings)
	totals := make([]float64, 0, len(accs))
	passed := 0
	for k, s := range accs {
		t := s.total()
		total.add(t)
		totals = append(totals, t)
		if t >= def.exam.PassMark {
			passed++
		}
		if k > 0 && !slices.Equal(s.drawn, accs[0].drawn) {
			rep.DrawsDiffer = true
		}
		for j := range p {
			if !s.drawn[j] {
				continue
			}
			points[j].add(s.points(j))
			items[j].score.add(s.score(j))
			if rest, ok := s.rest(j); ok {
				items[j].disc.add(s.score(j), rest)
			}
		}
	}
	if !rep.DrawsDiffer {
		// every sitting drew the same items: alpha over those.
		drawn := make([]moments, 0, p)
		for j := range points {
			if points[j].n > 0 {
				drawn = append(drawn, points[j])
			}
		}
		rep.Alpha = cronbachAlpha(drawn, &total)
	}
	rep.PassRate = ratio(passed, len(sittings))
	rep.Scores = distribution(totals)
	rep.Items = make([]ExamItemStats, p)
	for j, it := range def.exam.Items {
		rep.Items[j] = ExamItemStats{ScenarioID: it.ScenarioID, Weight: def.weights[j], Stats: items[j].stats(g.topWrong)}
	}
	rep.Sittings = sittingRows(accs)
	return rep, nil
}
