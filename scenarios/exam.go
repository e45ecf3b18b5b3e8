package scenarios

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

// Exam is a test definition: which scenarios may be drawn, how many, and
// under what rules.
type Exam struct {
	ID    Slug `yaml:"id" jsonschema:"required"`
	Title Text `yaml:"title" jsonschema:"required"`
	// Mode practice shows feedback as the trainee goes; exam counts towards certification.
	Mode string `yaml:"mode" jsonschema:"required,enum=practice,enum=exam"`
	// Scenarios are ids that may be drawn.
	Scenarios []Slug `yaml:"scenarios,omitempty" jsonschema:"uniqueItems=true"`
	// Tags add every scenario carrying one of them.
	Tags []Slug `yaml:"tags,omitempty" jsonschema:"uniqueItems=true"`
	// Draw is how many scenarios each attempt gets, drawn at random.
	Draw int `yaml:"draw" jsonschema:"required,minimum=1"`
	// TimeLimit for the whole attempt.
	TimeLimit Duration `yaml:"time_limit" jsonschema:"required"`
	// PassMark is the share of the maximum score needed to pass.
	PassMark Percent `yaml:"pass_mark" jsonschema:"required"`
	// Review says when the trainee sees answer keys and explanations.
	Review string `yaml:"review" jsonschema:"required,enum=after_each,enum=after_submit,enum=after_close,enum=never"`

	file string
}

// File is the name the exam was loaded from.
func (e *Exam) File() string { return e.file }

func (e *Exam) validate(rep *report) {
	if len(e.Scenarios) == 0 && len(e.Tags) == 0 {
		rep.atPath("scenarios", "name scenarios or tags to draw from")
	}
	if e.TimeLimit <= 0 {
		rep.atPath("time_limit", "must be longer than 0s")
	}
	if e.PassMark <= 0 {
		rep.atPath("pass_mark", "must be above 0%%")
	}
	switch {
	case e.Mode == "exam" && e.Review == "after_each":
		rep.atPath("review", "an exam cannot reveal answers before it is submitted")
	case e.Mode == "practice" && e.Review == "never":
		rep.atPath("review", "practice exists to show answers; never leaves the trainee guessing")
	}
}

// checkPool checks the exam against the scenarios that loaded.
func (e *Exam) checkPool(rep *report, lib *Library) {
	for i, id := range e.Scenarios {
		if _, err := lib.Scenario(string(id)); err != nil {
			rep.atPath(indexPath("scenarios", i), "no valid scenario %q in the library", id)
		}
	}
	for i, tag := range e.Tags {
		if !slices.ContainsFunc(lib.scenarios, func(s *Scenario) bool { return slices.Contains(s.Tags, tag) }) {
			rep.atPath(indexPath("tags", i), "no valid scenario carries tag %q", tag)
		}
	}
	if n := len(lib.Pool(e)); n < e.Draw {
		rep.atPath("draw", "draws %d but only %d valid scenario(s) match", e.Draw, n)
	}
}

// Pool returns the scenarios an exam draws from, sorted by id.
func (l *Library) Pool(e *Exam) []*Scenario {
	var out []*Scenario
	for _, s := range l.scenarios {
		if slices.Contains(e.Scenarios, s.ID) || slices.ContainsFunc(s.Tags, func(t Slug) bool {
			return slices.Contains(e.Tags, t)
		}) {
			out = append(out, s)
		}
	}
	return out
}

// Draw picks the exam's scenarios for one attempt. The same seed and library
// give the same draw, so an attempt can be rebuilt from its seed.
func (l *Library) Draw(e *Exam, seed uint64) ([]*Scenario, error) {
	pool := l.Pool(e)
	if len(pool) < e.Draw {
		return nil, fmt.Errorf("draw exam %s: %d scenario(s) for %d draws", e.ID, len(pool), e.Draw)
	}
	h := fnv.New64a()
	h.Write([]byte(e.ID))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:e.Draw], nil
}
