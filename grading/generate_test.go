package grading

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// generated is a synthetic data set: scenarios s00.. in exams of ten, each
// trainee sitting every exam round after round (one round a day) until the
// wanted number of attempts is reached.
type generated struct {
	g        *Grader
	results  []Result
	users    []string
	teams    []string
	scenario []string
	exams    []string
}

func generate(tb testing.TB, trainees, scenarios, attempts int, seed uint64, opts ...Option) generated {
	tb.Helper()
	faultClasses := [...]string{"network", "signaling", "codec", "turn", "device", "server"}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var d generated
	keys := make([]AnswerKey, scenarios)
	for i := range keys {
		id := fmt.Sprintf("s%02d", i)
		d.scenario = append(d.scenario, id)
		keys[i] = AnswerKey{ScenarioID: id, FaultClass: faultClasses[i%len(faultClasses)], RootCause: "rc-" + id,
			ResolvingRemedies: []string{"fix-" + id}, AcceptedRemedies: []string{"ask"}, HarmfulActions: []string{"hangup"},
			Evidence: []string{"e1", "e2", "e3"}, EscalationExpected: i%5 == 0}
	}
	var exams []Exam
	for lo := 0; lo < scenarios; lo += 10 {
		e := Exam{ID: fmt.Sprintf("exam-%d", lo/10), PassMark: 60}
		for i := lo; i < min(lo+10, scenarios); i++ {
			e.Items = append(e.Items, ExamItem{ScenarioID: keys[i].ScenarioID, Weight: float64(1 + i%2)})
		}
		exams = append(exams, e)
		d.exams = append(d.exams, e.ID)
	}
	g, err := NewGrader(append([]Option{WithScenarios(keys...), WithExams(exams...)}, opts...)...)
	require.NoError(tb, err)
	d.g = g
	skill := make([]float64, trainees)
	for u := range skill {
		d.users = append(d.users, fmt.Sprintf("user-%03d", u))
		skill[u] = 0.3 + 0.65*rng.Float64()
	}
	for t := range 10 {
		d.teams = append(d.teams, fmt.Sprintf("team-%d", t))
	}
	start := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	all := make([]Attempt, 0, attempts)
	for round := 1; len(all) < attempts; round++ {
		for u := 0; u < trainees && len(all) < attempts; u++ {
			for ei := range exams {
				opened := start.Add(time.Duration(round-1)*24*time.Hour + time.Duration(ei)*time.Hour)
				for _, it := range exams[ei].Items {
					if len(all) == attempts {
						break
					}
					k := &keys[indexOf(d.scenario, it.ScenarioID)]
					all = append(all, generateAttempt(rng, k, d.users[u], d.teams[u%10], exams[ei].ID, round, skill[u], opened))
					opened = opened.Add(4 * time.Minute)
				}
			}
		}
	}
	d.results, err = g.GradeAll(all)
	require.NoError(tb, err)
	return d
}

func generateAttempt(rng *rand.Rand, k *AnswerKey, user, team, exam string, round int, skill float64, opened time.Time) Attempt {
	p := min(0.98, skill+0.03*float64(round-1)) // trainees improve with practice
	hit := func() bool { return rng.Float64() < p }
	a := Attempt{UserID: user, Team: team, ExamID: exam, AttemptNo: round, ScenarioID: k.ScenarioID,
		VariantSeed: int64(1 + rng.IntN(4)), OpenedAt: opened, RootCause: k.RootCause,
		Escalated: k.EscalationExpected == hit(), CustomerNote: rng.Float64() < 0.7}
	if !hit() {
		a.RootCause = fmt.Sprintf("rc-wrong-%d", rng.IntN(3))
	}
	for _, e := range k.Evidence {
		if hit() {
			a.Evidence = append(a.Evidence, e)
		}
	}
	if rng.Float64() < 0.2 {
		a.Evidence = append(a.Evidence, "e-noise")
	}
	handle := time.Duration(60+rng.IntN(300)) * time.Second
	a.SubmittedAt = opened.Add(handle)
	a.Actions = append(a.Actions, Action{ID: "ask", At: opened.Add(10 * time.Second)})
	if hit() {
		a.Actions = append(a.Actions, Action{ID: k.ResolvingRemedies[0], At: opened.Add(handle / 2)})
		a.Resolved = true
		a.TimeToRecover = handle/2 + 2*time.Second
	}
	if rng.Float64() < 0.02 {
		a.Actions = append(a.Actions, Action{ID: "hangup", At: opened.Add(handle / 3)})
	}
	return a
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
