package grading

import (
	"maps"
	"slices"
)

// keyDef is an answer key with its id lists turned into sets for scoring.
type keyDef struct {
	key       AnswerKey
	resolving map[string]bool
	accepted  map[string]bool
	harmful   map[string]bool
	evidence  map[string]bool
}

// newKeyDef copies what k points to, so a caller changing its key after
// NewGrader cannot change how attempts are graded.
func newKeyDef(k AnswerKey) *keyDef {
	k = cloneKey(k)
	return &keyDef{key: k, resolving: set(k.ResolvingRemedies), accepted: set(k.AcceptedRemedies),
		harmful: set(k.HarmfulActions), evidence: set(k.Evidence)}
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// examDef is an exam with its item lookup and effective item weights.
type examDef struct {
	exam    Exam
	index   map[string]int
	weights []float64
	// fixed is set when every sitting gets every item (Exam.Draw).
	fixed bool
}

func newExamDef(e Exam) *examDef {
	e = cloneExam(e)
	d := &examDef{exam: e, index: make(map[string]int, len(e.Items)), weights: make([]float64, len(e.Items)),
		fixed: e.Draw == 0 || e.Draw >= len(e.Items)}
	for i, it := range e.Items {
		d.index[it.ScenarioID] = i
		w := it.Weight
		if w == 0 {
			w = 1
		}
		d.weights[i] = w
	}
	return d
}

func cloneWeights(w *Weights) *Weights {
	if w == nil {
		return nil
	}
	c := *w
	return &c
}

func cloneKey(k AnswerKey) AnswerKey {
	k.ResolvingRemedies = slices.Clone(k.ResolvingRemedies)
	k.AcceptedRemedies = slices.Clone(k.AcceptedRemedies)
	k.HarmfulActions = slices.Clone(k.HarmfulActions)
	k.Evidence = slices.Clone(k.Evidence)
	k.EvidenceNames = maps.Clone(k.EvidenceNames)
	k.Weights = cloneWeights(k.Weights)
	return k
}

func cloneExam(e Exam) Exam {
	e.Weights = cloneWeights(e.Weights)
	e.Items = slices.Clone(e.Items)
	for i := range e.Items {
		e.Items[i].Weights = cloneWeights(e.Items[i].Weights)
	}
	return e
}
