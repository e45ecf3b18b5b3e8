package grading

import (
	"fmt"
	"sort"
)

// VariantStats are the item statistics of one randomised variant.
type VariantStats struct {
	Seed  int64
	Stats ItemStats
}

// ScenarioReport is a scenario's item statistics, overall and per variant,
// with the submissions behind them for drill-down.
type ScenarioReport struct {
	ScenarioID string
	FaultClass string
	RootCause  string
	Selection  Selection
	Overall    ItemStats
	// Variants are ordered by seed.
	Variants []VariantStats
	// Submissions are the selected attempts, in submission order.
	Submissions []AttemptRow
}

// ScenarioReport builds a scenario's report in one pass over results plus
// one over the exam sittings that contain it. Discrimination pools the
// sittings that submitted it across exams, with the rest of the sitting (its
// other drawn items) as a percent of their weight, so exams of different
// sizes and draws compare; within one exam this equals the exam report's
// figure when every sitting that drew it submitted it.
func (g *Grader) ScenarioReport(results []Result, scenarioID string) (ScenarioReport, error) {
	k, ok := g.keys[scenarioID]
	if !ok {
		return ScenarioReport{}, fmt.Errorf("scenario report %q: %w", scenarioID, ErrNotFound)
	}
	rc := k.key.RootCause
	rep := ScenarioReport{ScenarioID: scenarioID, FaultClass: k.key.FaultClass, RootCause: rc,
		Selection: g.selection, Submissions: []AttemptRow{}}
	var overall itemAcc
	variants := make(map[int64]*itemAcc)
	sittings := make(map[sittingKey]*sittingAcc)
	inExam := make(map[string]bool, len(g.exams))
	for id, e := range g.exams {
		_, inExam[id] = e.index[scenarioID]
	}
	for i := range results {
		r := &results[i]
		if !g.selection.includes(r.Attempt.AttemptNo) {
			continue
		}
		if inExam[r.Attempt.ExamID] {
			g.addSitting(sittings, r)
		}
		if r.Attempt.ScenarioID != scenarioID {
			continue
		}
		overall.addSubmission(r, rc, true)
		v, ok := variants[r.Attempt.VariantSeed]
		if !ok {
			v = &itemAcc{}
			variants[r.Attempt.VariantSeed] = v
		}
		v.addSubmission(r, rc, true)
		rep.Submissions = append(rep.Submissions, attemptRow(r))
	}
	for _, s := range sortedAccs(sittings) {
		i := s.def.index[scenarioID]
		rest, ok := s.rest(i)
		if !s.have[i] || !ok {
			continue
		}
		overall.disc.add(s.scores[i], rest)
		variants[s.seeds[i]].disc.add(s.scores[i], rest)
	}
	rep.Overall = overall.stats(g.topWrong)
	rep.Variants = make([]VariantStats, 0, len(variants))
	for seed, v := range variants {
		rep.Variants = append(rep.Variants, VariantStats{Seed: seed, Stats: v.stats(g.topWrong)})
	}
	sort.Slice(rep.Variants, func(i, j int) bool { return rep.Variants[i].Seed < rep.Variants[j].Seed })
	sortAttemptRows(rep.Submissions)
	return rep, nil
}
