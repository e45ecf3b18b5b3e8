package webui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/grading"
)

// The report pages get their figures as text, rounded for reading; the CSV
// exports keep the exact values. Every formatter writes grading.NA for an
// undefined figure, so NaN or Inf can never reach a page.

// round1 rounds to one decimal and folds -0 into 0, which would read oddly.
func round1(v float64) float64 {
	r := math.Round(v*10) / 10
	if r == 0 {
		return 0
	}
	return r
}

// fmtScore formats a 0-100 score or index with one decimal.
func fmtScore(f grading.Figure) string {
	if !f.OK {
		return grading.NA
	}
	return fmt.Sprintf("%.1f", round1(f.Value))
}

// fmtPercent formats a percentage with one decimal.
func fmtPercent(f grading.Figure) string {
	if !f.OK {
		return grading.NA
	}
	return fmt.Sprintf("%.1f%%", round1(f.Value))
}

// fmtSeconds formats seconds as m:ss (h:mm:ss past an hour), as support
// desks quote handle times.
func fmtSeconds(f grading.Figure) string {
	if !f.OK {
		return grading.NA
	}
	return fmtDuration(time.Duration(math.Round(f.Value)) * time.Second)
}

func fmtDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	sign := ""
	if s < 0 {
		sign, s = "-", -s
	}
	if s >= 3600 {
		return fmt.Sprintf("%s%d:%02d:%02d", sign, s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%s%d:%02d", sign, s/60, s%60)
}

// fmtRating formats a mean rating (1-5) or a coefficient with two decimals.
func fmtRating(f grading.Figure) string {
	if !f.OK {
		return grading.NA
	}
	r := math.Round(f.Value*100) / 100
	if r == 0 {
		r = 0
	}
	return fmt.Sprintf("%.2f", r)
}

// statusView is a target check as a badge.
type statusView struct {
	Status grading.Status
}

// Key is the message key of the status.
func (s statusView) Key() string {
	if s.Status == grading.StatusNA {
		return "report.status.na"
	}
	return "report.status." + string(s.Status)
}

// Class is the badge style: met reads as good, missed as a warning.
func (s statusView) Class() string {
	switch s.Status {
	case grading.StatusMet:
		return "ok"
	case grading.StatusMissed:
		return "warn"
	}
	return ""
}

// kpiView is a set of desk KPIs ready to print.
type kpiView struct {
	Attempts, Fatal                       int
	MeanScore, FCR, AHT, CSAT, MeanRating string
	FCRStatus, AHTStatus, CSATStatus      statusView
	Ready                                 bool
	FCRTarget, AHTTarget, CSATTarget      string
}

func newKPIView(k grading.KPIs, check grading.TargetCheck, t grading.Targets) kpiView {
	return kpiView{
		Attempts: k.Attempts, Fatal: k.Fatal,
		MeanScore: fmtScore(k.MeanScore), FCR: fmtPercent(k.FCR), AHT: fmtSeconds(k.AHTSeconds),
		CSAT: fmtPercent(k.CSAT), MeanRating: fmtRating(k.MeanRating),
		FCRStatus: statusView{check.FCR}, AHTStatus: statusView{check.AHT}, CSATStatus: statusView{check.CSAT},
		Ready:     check.Ready(),
		FCRTarget: fmtPercent(grading.Known(t.FCR)), AHTTarget: fmtDuration(t.AHT),
		CSATTarget: fmtPercent(grading.Known(t.CSAT)),
	}
}

// classView is one fault class's KPIs with its verdict.
type classView struct {
	Label, VerdictKey, VerdictClass string
	KPIs                            kpiView
}

func newClassViews(loc *Locale, rows []grading.ClassRow, t grading.Targets) []classView {
	out := make([]classView, 0, len(rows))
	for _, r := range rows {
		v := classView{Label: classLabel(loc, r.FaultClass), VerdictKey: "report.verdict." + strings.ReplaceAll(string(r.Verdict), "-", "_"),
			KPIs: newKPIView(r.KPIs, t.Check(r.KPIs), t)}
		switch r.Verdict {
		case grading.VerdictStrength:
			v.VerdictClass = "ok"
		case grading.VerdictWeakness:
			v.VerdictClass = "warn"
		}
		out = append(out, v)
	}
	return out
}

// classLabel names a fault class (a catalog layer) in the reader's
// language, falling back to the class id for one the catalog added later.
func classLabel(loc *Locale, class string) string {
	if class == "" {
		class = "unknown"
	}
	key := "report.class." + class
	if msg := loc.T(key); msg != key {
		return msg
	}
	return class
}

// attemptView is one graded attempt as the report tables list it.
type attemptView struct {
	UserID                     uint
	User, Scenario, ScenarioID string
	Exam, When, Score, Handle  string
	Diagnosis                  string
	AttemptNo                  int
	Seed                       int64
	Correct, FCR, Fatal        bool
	CSAT                       int
}

func (env *reportEnv) attemptViews(loc *Locale, rows []grading.AttemptRow) []attemptView {
	out := make([]attemptView, 0, len(rows))
	for _, r := range rows {
		out = append(out, attemptView{
			UserID: env.userID(r.UserID), User: env.userName(r.UserID),
			Scenario: env.scenarioTitle(loc, r.ScenarioID), ScenarioID: r.ScenarioID,
			Exam: env.examTitle(loc, r.ExamID), When: loc.Time(r.SubmittedAt),
			Score: fmtScore(grading.Known(r.Score)), Handle: fmtSeconds(grading.Known(r.HandleSeconds)),
			Diagnosis: env.causeName(loc, r.RootCause), AttemptNo: r.AttemptNo, Seed: r.VariantSeed,
			Correct: r.RootCauseCorrect, FCR: r.FirstContactResolved, Fatal: r.Fatal, CSAT: r.CSAT,
		})
	}
	return out
}

// sittingView is one exam sitting.
type sittingView struct {
	UserID      uint
	User, Exam  string
	When, Score string
	AttemptNo   int
	Passed      bool
	Items       []string
}

func (env *reportEnv) sittingViews(loc *Locale, rows []grading.Sitting) []sittingView {
	out := make([]sittingView, 0, len(rows))
	for _, s := range rows {
		v := sittingView{UserID: env.userID(s.UserID), User: env.userName(s.UserID), Exam: env.examTitle(loc, s.ExamID),
			When: loc.Time(s.SubmittedAt), Score: fmtScore(grading.Known(s.Score)), AttemptNo: s.AttemptNo, Passed: s.Passed}
		for _, it := range s.Items {
			v.Items = append(v.Items, fmtScore(it))
		}
		out = append(out, v)
	}
	return out
}

// lastN keeps the last n of a list in submission order, newest first, for
// the tables; the CSV export has every row.
func lastN[T any](xs []T, n int) []T {
	start := max(len(xs)-n, 0)
	out := make([]T, 0, len(xs)-start)
	for i := len(xs) - 1; i >= start; i-- {
		out = append(out, xs[i])
	}
	return out
}

// tableLimit is how many rows a report table shows; the rest are in the CSV.
const tableLimit = 100

// sortTrainees orders trainees by team, then name, as managers scan them.
func sortTrainees(ts []indexTrainee) {
	slices.SortFunc(ts, func(a, b indexTrainee) int {
		if c := strings.Compare(a.Team, b.Team); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(a.User.Name()), strings.ToLower(b.User.Name()))
	})
}
