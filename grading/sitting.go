package grading

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Sitting is one user's sitting of an exam: its drawn scenarios' scores
// combined.
type Sitting struct {
	UserID    string
	Team      string
	ExamID    string
	AttemptNo int
	// SubmittedAt is the latest submission in the sitting.
	SubmittedAt time.Time
	// Score = Σ weight_i × score_i / Σ weight_i over the items the sitting
	// drew (0-100); a drawn item not submitted scores 0, an item not drawn
	// does not count.
	Score float64
	// Passed is Score >= the exam's pass mark.
	Passed bool
	// Items are the item scores in the exam's item order, n/a when the item
	// was not submitted (Drawn tells whether it was given).
	Items []Figure
	// Drawn tells, in the exam's item order, which items the sitting drew;
	// all of them in a fixed exam.
	Drawn []bool
}

type sittingKey struct {
	user, exam string
	no         int
}

// sittingAcc gathers one sitting's item scores. When an item was submitted
// twice in a sitting (a retry the web layer allowed), the later one counts.
type sittingAcc struct {
	def    *examDef
	user   string
	team   string
	no     int
	last   time.Time
	scores []float64
	at     []time.Time
	seeds  []int64
	have   []bool
	// drawn marks the items known to be drawn: those with a result and those
	// an Attempt.Drawn lists; listed is set once one did, and seen is the
	// last list read, so a list the sitting's results share is read once.
	drawn  []bool
	listed bool
	seen   []string
	// weight = Σ w_i and sum = Σ w_i s_i over the drawn items, set by finish.
	weight, sum float64
}

func newSittingAcc(def *examDef, r *Result) *sittingAcc {
	n := len(def.exam.Items)
	return &sittingAcc{def: def, user: r.Attempt.UserID, team: r.Attempt.Team, no: r.Attempt.AttemptNo,
		scores: make([]float64, n), at: make([]time.Time, n), seeds: make([]int64, n), have: make([]bool, n),
		drawn: make([]bool, n)}
}

// add records r; it reports false when r's scenario is not in the exam.
func (s *sittingAcc) add(r *Result) bool {
	i, ok := s.def.index[r.Attempt.ScenarioID]
	if !ok {
		return false
	}
	t := r.Attempt.SubmittedAt
	if !s.have[i] || !t.Before(s.at[i]) {
		s.scores[i], s.at[i], s.have[i] = r.Breakdown.Score, t, true
		s.seeds[i] = r.Attempt.VariantSeed
	}
	s.drawn[i] = true
	if d := r.Attempt.Drawn; len(d) > 0 && (len(d) != len(s.seen) || &d[0] != &s.seen[0]) {
		s.listed, s.seen = true, d
		for _, id := range d {
			if j, ok := s.def.index[id]; ok {
				s.drawn[j] = true
			}
		}
	}
	if t.After(s.last) {
		s.last, s.team = t, r.Attempt.Team
	}
	return true
}

// finish settles which items were drawn once every result is in: without a
// list, a fixed exam's sitting drew every item and a drawing exam's those it
// has results for. It sums in item order, so figures are bit-identical
// between builds.
func (s *sittingAcc) finish() {
	if !s.listed && s.def.fixed {
		for i := range s.drawn {
			s.drawn[i] = true
		}
	}
	s.weight, s.sum = 0, 0
	for i, ok := range s.drawn {
		if ok {
			s.weight += s.def.weights[i]
			s.sum += s.def.weights[i] * s.score(i)
		}
	}
}

// score is item i's score, 0 when it was not submitted.
func (s *sittingAcc) score(i int) float64 {
	if !s.have[i] {
		return 0
	}
	return s.scores[i]
}

// points returns item i's contribution to the exam score, w_i × s_i / W
// with W the drawn items' weight; 0 when the item was not drawn.
func (s *sittingAcc) points(i int) float64 {
	if !s.drawn[i] {
		return 0
	}
	return s.def.weights[i] * s.score(i) / s.weight
}

// total is the exam score: Σ w_i s_i / Σ w_i over the drawn items.
func (s *sittingAcc) total() float64 {
	if s.weight <= 0 {
		return 0
	}
	return s.sum / s.weight
}

// rest is the score of the sitting's other drawn items, Σ_{j≠i} w_j s_j /
// Σ_{j≠i} w_j, a percent like the item score so that sittings with
// different draws compare; ok is false when item i was not drawn or was the
// only one.
func (s *sittingAcc) rest(i int) (float64, bool) {
	w := s.weight - s.def.weights[i]
	if !s.drawn[i] || w <= 0 {
		return 0, false
	}
	return (s.sum - s.def.weights[i]*s.score(i)) / w, true
}

func (s *sittingAcc) sitting() Sitting {
	out := Sitting{UserID: s.user, Team: s.team, ExamID: s.def.exam.ID, AttemptNo: s.no,
		SubmittedAt: s.last.UTC(), Score: s.total(), Items: make([]Figure, len(s.scores)),
		Drawn: slices.Clone(s.drawn)}
	out.Passed = out.Score >= s.def.exam.PassMark
	for i, ok := range s.have {
		if ok {
			out.Items[i] = Known(s.scores[i])
		}
	}
	return out
}

// addSitting adds an exam attempt to its sitting; practice attempts,
// attempts of unknown exams and of scenarios no longer in the exam are left
// out, so every sitting has a drawn item.
func (g *Grader) addSitting(m map[sittingKey]*sittingAcc, r *Result) {
	def, ok := g.exams[r.Attempt.ExamID]
	if !ok {
		return
	}
	if _, ok := def.index[r.Attempt.ScenarioID]; !ok {
		return
	}
	k := sittingKey{r.Attempt.UserID, r.Attempt.ExamID, r.Attempt.AttemptNo}
	s, ok := m[k]
	if !ok {
		s = newSittingAcc(def, r)
		m[k] = s
	}
	s.add(r)
}

// sortedAccs finishes the sittings and orders them by submission, then user,
// exam and number: map order is random, and summing in a fixed order keeps every figure
// bit-identical between two builds of the same report.
func sortedAccs(m map[sittingKey]*sittingAcc) []*sittingAcc {
	out := make([]*sittingAcc, 0, len(m))
	for _, s := range m {
		s.finish()
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.last.Equal(b.last) {
			return a.last.Before(b.last)
		}
		if a.user != b.user {
			return a.user < b.user
		}
		if a.def.exam.ID != b.def.exam.ID {
			return a.def.exam.ID < b.def.exam.ID
		}
		return a.no < b.no
	})
	return out
}

func sittingRows(accs []*sittingAcc) []Sitting {
	out := make([]Sitting, len(accs))
	for i, s := range accs {
		out[i] = s.sitting()
	}
	return out
}

// ScoreSitting combines one sitting's graded attempts into the exam score
// over the items the sitting drew (see Attempt.Drawn). All results must
// belong to the same user, exam and attempt number.
func (g *Grader) ScoreSitting(results []Result) (Sitting, error) {
	if len(results) == 0 {
		return Sitting{}, fmt.Errorf("score sitting: no results")
	}
	first := results[0].Attempt
	def, ok := g.exams[first.ExamID]
	if !ok {
		return Sitting{}, fmt.Errorf("score sitting: exam %q: %w", first.ExamID, ErrNotFound)
	}
	acc := newSittingAcc(def, &results[0])
	for i := range results {
		a := results[i].Attempt
		if a.UserID != first.UserID || a.ExamID != first.ExamID || a.AttemptNo != first.AttemptNo {
			return Sitting{}, fmt.Errorf("score sitting: result %d is %s/%s/%d, not %s/%s/%d",
				i, a.UserID, a.ExamID, a.AttemptNo, first.UserID, first.ExamID, first.AttemptNo)
		}
		if !acc.add(&results[i]) {
			return Sitting{}, fmt.Errorf("score sitting: exam %q has no scenario %q: %w", a.ExamID, a.ScenarioID, ErrNotFound)
		}
	}
	acc.finish()
	return acc.sitting(), nil
}
