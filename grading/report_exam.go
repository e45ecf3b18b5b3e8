package grading

import "fmt"

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
	// Alpha is Cronbach's alpha over the items' weighted points.
	Alpha Figure
	// Items are in the exam's order.
	Items []ExamItemStats
	// Sittings are in submission order.
	Sittings []Sitting
}

// ExamReport builds an exam's report: one pass over results groups the
// selected sittings, one pass over the sittings computes the statistics. An
// item not submitted in a sitting scores 0 there, as in the exam score, so
// facility, discrimination and alpha describe the exam as scored.
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
	for _, s := range accs {
		t := s.total()
		total.add(t)
		totals = append(totals, t)
		if t >= def.exam.PassMark {
			passed++
		}
		for j := range p {
			x := s.points(j)
			points[j].add(x)
			sj := 0.0
			if s.have[j] {
				sj = s.scores[j]
			}
			items[j].score.add(sj)
			items[j].disc.add(sj, t-x)
		}
	}
	rep.Alpha = cronbachAlpha(points, &total)
	rep.PassRate = ratio(passed, len(sittings))
	rep.Scores = distribution(totals)
	rep.Items = make([]ExamItemStats, p)
	for j, it := range def.exam.Items {
		rep.Items[j] = ExamItemStats{ScenarioID: it.ScenarioID, Weight: def.weights[j], Stats: items[j].stats(g.topWrong)}
	}
	rep.Sittings = sittingRows(accs)
	return rep, nil
}
