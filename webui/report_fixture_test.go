package webui

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// reportLibrary copies the repository's catalog and scenarios into a
// temporary directory, cloning scenarios under new ids until there are n
// (all of them when n is smaller than the real count: 0 means "the real
// ones").
func reportLibrary(tb testing.TB, n int) string {
	tb.Helper()
	src := filepath.Join("..", "scenarios.d")
	dir := tb.TempDir()
	copyFile := func(name string, data []byte) {
		require.NoError(tb, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	cat, err := os.ReadFile(filepath.Join(src, scenarios.CatalogFile))
	require.NoError(tb, err)
	copyFile(scenarios.CatalogFile, cat)
	files, err := filepath.Glob(filepath.Join(src, "*.yaml"))
	require.NoError(tb, err)
	var real [][]byte
	for _, f := range files {
		if filepath.Base(f) == scenarios.CatalogFile {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(tb, err)
		copyFile(filepath.Base(f), data)
		real = append(real, data)
	}
	idLine := regexp.MustCompile(`(?m)^id: (\S+)$`)
	for i := len(real); i < n; i++ {
		data := real[i%len(real)]
		id := fmt.Sprintf("%s-v%d", idLine.FindSubmatch(data)[1], i)
		copyFile(id+".yaml", idLine.ReplaceAll(data, []byte("id: "+id)))
	}
	return dir
}

// genSpec shapes a generated history of graded attempts.
type genSpec struct {
	Teams, Trainees, Results int
	// ExamSize is the number of scenarios of each stored exam; there are
	// as many exams as the scenarios fill.
	ExamSize int
	// PracticeShare is the share of results made outside exams.
	PracticeShare float64
	Seed          uint64
}

// genData is what genResults made.
type genData struct {
	Teams    []store.Team
	Trainees []store.User
	Exams    []store.Exam
	// Results are as saved, in generation order.
	Results []store.ResultRecord
}

// genResults fills the store with teams, trainees, exams of ExamSize
// scenarios from the library, and Results graded attempts: sittings of
// whole exams and practice attempts, spread over 60 days, with a skill per
// trainee and a difficulty per scenario so that the figures vary the way
// real ones do. The same spec gives the same data.
func genResults(tb testing.TB, app *testApp, spec genSpec) genData {
	tb.Helper()
	ctx := context.Background()
	lib, err := app.srv.library.get()
	require.NoError(tb, err)
	rnd := rand.New(rand.NewPCG(spec.Seed, 42))
	var d genData
	for i := range spec.Teams {
		t, err := app.st.CreateTeam(ctx, fmt.Sprintf("Team %02d", i+1), "")
		require.NoError(tb, err)
		d.Teams = append(d.Teams, t)
	}
	var nus []store.NewUser
	for i := range spec.Trainees {
		nu := store.NewUser{Username: fmt.Sprintf("trainee%03d", i+1), Role: store.RoleTrainee, Password: "generated-pw-1"}
		if len(d.Teams) > 0 {
			nu.TeamID = &d.Teams[i%len(d.Teams)].ID
		}
		nus = append(nus, nu)
	}
	if d.Trainees, err = app.st.CreateUsers(ctx, nus); err != nil {
		require.NoError(tb, err)
	}
	scs := lib.Scenarios()
	rootCause := map[string]string{}
	difficulty := map[string]float64{}
	class := map[string]string{}
	var ids []string
	for _, sc := range scs {
		id := string(sc.ID)
		ids = append(ids, id)
		rootCause[id] = string(sc.Answer.RootCause)
		if c, err := lib.Catalog().Cause(rootCause[id]); err == nil {
			class[id] = c.Layer
		}
		difficulty[id] = rnd.NormFloat64() * 0.8
	}
	for i := 0; spec.ExamSize > 0 && i+spec.ExamSize <= len(ids); i += spec.ExamSize {
		e, err := app.st.CreateExam(ctx, store.Exam{Title: fmt.Sprintf("Exam %d", len(d.Exams)+1), Mode: store.ModeExam,
			ScenarioIDs: ids[i : i+spec.ExamSize], DrawCount: spec.ExamSize, ReviewPolicy: store.ReviewAfterSubmit, PassMark: 0.7},
			store.Assignees{})
		require.NoError(tb, err)
		d.Exams = append(d.Exams, e)
	}
	wrong := []string{"wifi-congestion", "server-overload", "codec-mismatch", "udp-blocked", ""}
	base := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	perUser := spec.Results / max(spec.Trainees, 1)
	for ui, u := range d.Trainees {
		skill := rnd.NormFloat64()
		sittings := map[uint]int{}
		practice := map[string]int{}
		n := perUser
		if ui == len(d.Trainees)-1 {
			n = spec.Results - perUser*(len(d.Trainees)-1)
		}
		for made := 0; made < n; {
			day := base.Add(time.Duration(rnd.IntN(60*24*60)) * time.Minute)
			if len(d.Exams) > 0 && rnd.Float64() >= spec.PracticeShare && n-made >= spec.ExamSize {
				e := d.Exams[rnd.IntN(len(d.Exams))]
				sittings[e.ID]++
				for k, sc := range e.ScenarioIDs {
					r := genResult(rnd, u, sc, rootCause[sc], wrong, skill-difficulty[sc], day.Add(time.Duration(k*4)*time.Minute))
					r.ExamID, r.AttemptNo, r.FaultClass = &e.ID, sittings[e.ID], class[sc]
					d.Results = append(d.Results, r)
				}
				made += spec.ExamSize
				continue
			}
			sc := ids[rnd.IntN(len(ids))]
			practice[sc]++
			r := genResult(rnd, u, sc, rootCause[sc], wrong, skill-difficulty[sc], day)
			r.AttemptNo, r.FaultClass = practice[sc], class[sc]
			d.Results = append(d.Results, r)
			made++
		}
	}
	for chunk := range slices.Chunk(d.Results, 5000) {
		require.NoError(tb, app.st.SaveResults(ctx, chunk))
	}
	return d
}

// genResult makes one plausible graded attempt for a trainee whose skill
// exceeds the scenario's difficulty by edge.
func genResult(rnd *rand.Rand, u store.User, scenario, root string, wrong []string, edge float64, at time.Time) store.ResultRecord {
	p := 1 / (1 + math.Exp(-edge))
	r := store.ResultRecord{UserID: u.ID, TeamID: u.TeamID, ScenarioID: scenario, VariantSeed: int64(1 + rnd.IntN(5)),
		SubmittedAt: at, HandleTime: time.Duration(60+rnd.IntN(300)) * time.Second, RootCause: root}
	r.RootCauseCorrect = rnd.Float64() < p
	if !r.RootCauseCorrect {
		r.RootCause = wrong[rnd.IntN(len(wrong))]
	}
	r.Resolved = rnd.Float64() < p+0.1
	r.FirstContactResolved = r.Resolved && r.RootCauseCorrect
	if r.Resolved {
		r.TimeToRecover = time.Duration(5+rnd.IntN(60)) * time.Second
	}
	r.Fatal = rnd.Float64() < 0.02
	points := 15 * rnd.Float64()
	if r.RootCauseCorrect {
		points += 35 + 10*float64(rnd.IntN(2)) + 15*math.Max(0, math.Min(1, 1-(r.HandleTime.Seconds()-180)/180))
	}
	if r.FirstContactResolved {
		points += 25
	}
	r.Score = math.Min(100, points)
	r.CSAT = 2
	if r.Resolved {
		r.CSAT = 4
	}
	if r.HandleTime > 3*time.Minute {
		r.CSAT--
	}
	if rnd.IntN(2) == 0 {
		r.CSAT++
	}
	if r.Fatal {
		r.Score, r.CSAT = 0, 1
	}
	return r
}
