package grading

import (
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is wrapped by every error about an unknown scenario or exam id.
var ErrNotFound = errors.New("not found")

// Selection chooses which attempts item statistics are computed on.
type Selection string

// The selections. First attempts are the default, as in Moodle: later
// sittings are practised, so they flatter the items.
const (
	// FirstAttempts uses attempt number 1 only.
	FirstAttempts Selection = "first-attempts"
	// AllAttempts uses every attempt.
	AllAttempts Selection = "all-attempts"
)

func (s Selection) includes(attemptNo int) bool {
	return s == AllAttempts || attemptNo == 1
}

// ClassBands decide when a fault class counts as a trainee's strength or
// weakness.
type ClassBands struct {
	// Strong is the mean score at or above which a class is a strength.
	Strong float64
	// Weak is the mean score below which a class is a weakness.
	Weak float64
	// MinAttempts is the number of attempts below which no verdict is given,
	// since one unlucky ticket says little.
	MinAttempts int
}

// DefaultClassBands returns strong >= 80, weak < 60, at least 3 attempts.
func DefaultClassBands() ClassBands {
	return ClassBands{Strong: 80, Weak: 60, MinAttempts: 3}
}

// Grader scores attempts and builds reports. It holds only configuration,
// fixed at construction, so one Grader may serve concurrent requests; rebuild
// it when scenarios or exams change.
type Grader struct {
	weights   Weights
	targets   Targets
	decline   time.Duration
	selection Selection
	loc       *time.Location
	topWrong  int
	bands     ClassBands
	keyList   []AnswerKey
	examList  []Exam
	keys      map[string]*keyDef
	exams     map[string]*examDef
}

// Option configures a Grader.
type Option func(*Grader) error

// WithWeights replaces the default scoring weights.
func WithWeights(w Weights) Option {
	return func(g *Grader) error {
		if err := w.validate(); err != nil {
			return fmt.Errorf("with weights: %w", err)
		}
		g.weights = w
		return nil
	}
}

// WithTargets replaces the default targets.
func WithTargets(t Targets) Option {
	return func(g *Grader) error {
		if err := t.validate(); err != nil {
			return fmt.Errorf("with targets: %w", err)
		}
		g.targets = t
		return nil
	}
}

// WithHandleTimeDecline sets how far past its target the handle-time credit
// takes to fall from full to zero (default 3 min).
func WithHandleTimeDecline(d time.Duration) Option {
	return func(g *Grader) error {
		if d <= 0 {
			return fmt.Errorf("with handle-time decline %v: must be > 0", d)
		}
		g.decline = d
		return nil
	}
}

// WithScenarios adds answer keys; a scenario id may appear once.
func WithScenarios(keys ...AnswerKey) Option {
	return func(g *Grader) error {
		g.keyList = append(g.keyList, keys...)
		return nil
	}
}

// WithExams adds exams; their scenarios must be among the answer keys.
func WithExams(exams ...Exam) Option {
	return func(g *Grader) error {
		g.examList = append(g.examList, exams...)
		return nil
	}
}

// WithAllAttempts computes item statistics on all attempts instead of first
// attempts only.
func WithAllAttempts() Option {
	return func(g *Grader) error {
		g.selection = AllAttempts
		return nil
	}
}

// WithLocation sets the time zone of the daily trend buckets (default UTC).
func WithLocation(loc *time.Location) Option {
	return func(g *Grader) error {
		if loc == nil {
			return fmt.Errorf("with location: nil")
		}
		g.loc = loc
		return nil
	}
}

// WithTopWrongDiagnoses sets how many wrong diagnoses a scenario report lists
// (default 5).
func WithTopWrongDiagnoses(n int) Option {
	return func(g *Grader) error {
		if n < 0 {
			return fmt.Errorf("with top wrong diagnoses %d: must be >= 0", n)
		}
		g.topWrong = n
		return nil
	}
}

// WithClassBands replaces the strength and weakness bands.
func WithClassBands(b ClassBands) Option {
	return func(g *Grader) error {
		if b.Weak > b.Strong || b.MinAttempts < 1 {
			return fmt.Errorf("with class bands %+v: need weak <= strong and min attempts >= 1", b)
		}
		g.bands = b
		return nil
	}
}

// NewGrader returns a Grader with the defaults of docs/grading.md, changed by
// opts.
func NewGrader(opts ...Option) (*Grader, error) {
	g := &Grader{
		weights:   DefaultWeights(),
		targets:   DefaultTargets(),
		decline:   3 * time.Minute,
		selection: FirstAttempts,
		loc:       time.UTC,
		topWrong:  5,
		bands:     DefaultClassBands(),
	}
	for _, o := range opts {
		if err := o(g); err != nil {
			return nil, fmt.Errorf("new grader: %w", err)
		}
	}
	g.keys = make(map[string]*keyDef, len(g.keyList))
	for _, k := range g.keyList {
		if err := k.validate(); err != nil {
			return nil, fmt.Errorf("new grader: %w", err)
		}
		if _, dup := g.keys[k.ScenarioID]; dup {
			return nil, fmt.Errorf("new grader: scenario %q given twice", k.ScenarioID)
		}
		g.keys[k.ScenarioID] = newKeyDef(k)
	}
	g.exams = make(map[string]*examDef, len(g.examList))
	for _, e := range g.examList {
		if err := e.validate(g.keys); err != nil {
			return nil, fmt.Errorf("new grader: %w", err)
		}
		if _, dup := g.exams[e.ID]; dup {
			return nil, fmt.Errorf("new grader: exam %q given twice", e.ID)
		}
		g.exams[e.ID] = newExamDef(e)
	}
	return g, nil
}

// Targets returns the targets reports compare against.
func (g *Grader) Targets() Targets { return g.targets }

// Selection returns which attempts item statistics use.
func (g *Grader) Selection() Selection { return g.selection }

// Key returns the answer key of a scenario.
func (g *Grader) Key(scenarioID string) (AnswerKey, error) {
	k, ok := g.keys[scenarioID]
	if !ok {
		return AnswerKey{}, fmt.Errorf("scenario %q: %w", scenarioID, ErrNotFound)
	}
	return cloneKey(k.key), nil
}

// Exam returns an exam definition.
func (g *Grader) Exam(examID string) (Exam, error) {
	e, ok := g.exams[examID]
	if !ok {
		return Exam{}, fmt.Errorf("exam %q: %w", examID, ErrNotFound)
	}
	return cloneExam(e.exam), nil
}
