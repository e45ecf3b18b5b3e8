package grading

import (
	"fmt"
	"sort"
	"time"
)

// MemberRow is one trainee in a team or cohort report, ranked.
type MemberRow struct {
	// Rank is 1 for the best; members with equal mean score and FCR share a
	// rank and the next rank is skipped (1, 2, 2, 4).
	Rank   int
	UserID string
	Team   string
	KPIs   KPIs
	Check  TargetCheck
}

// GroupReport is a team's or cohort's figures, its members ranked and the
// distribution of their mean scores.
type GroupReport struct {
	// Name is the team or cohort name.
	Name    string
	Targets Targets
	Summary KPIs
	Check   TargetCheck
	// Ready counts members meeting all three targets.
	Ready   int
	Trend   []Period
	Classes []ClassRow
	// Members are ranked by mean score, then FCR, best first.
	Members []MemberRow
	// Distribution is over the members' mean scores.
	Distribution Distribution
}

// TeamReport builds the report of the attempts made under team. A team with
// no attempts gets an empty report with n/a figures.
func (g *Grader) TeamReport(results []Result, team string) (GroupReport, error) {
	if team == "" {
		return GroupReport{}, fmt.Errorf("team report: empty team")
	}
	return g.groupReport(results, team, func(r *Result) bool { return r.Attempt.Team == team }), nil
}

// CohortReport builds the report of the attempts of the given users, whatever
// their team (a cohort is an intake, a class, a shift).
func (g *Grader) CohortReport(results []Result, name string, userIDs []string) (GroupReport, error) {
	if name == "" {
		return GroupReport{}, fmt.Errorf("cohort report: empty name")
	}
	members := set(userIDs)
	return g.groupReport(results, name, func(r *Result) bool { return members[r.Attempt.UserID] }), nil
}

type memberAcc struct {
	kpiAcc
	team   string
	latest time.Time
}

func (g *Grader) groupReport(results []Result, name string, keep func(*Result) bool) GroupReport {
	rep := GroupReport{Name: name, Targets: g.targets}
	var all kpiAcc
	classes := make(map[string]*kpiAcc)
	trend := trendAcc{loc: g.loc, days: make(map[time.Time]*kpiAcc)}
	members := make(map[string]*memberAcc)
	for i := range results {
		r := &results[i]
		if !keep(r) {
			continue
		}
		all.add(r)
		accFor(classes, r.FaultClass).add(r)
		trend.add(r)
		m, ok := members[r.Attempt.UserID]
		if !ok {
			m = &memberAcc{}
			members[r.Attempt.UserID] = m
		}
		m.add(r)
		if !r.Attempt.SubmittedAt.Before(m.latest) {
			m.latest, m.team = r.Attempt.SubmittedAt, r.Attempt.Team
		}
	}
	rep.Summary = all.kpis()
	rep.Check = g.targets.Check(rep.Summary)
	rep.Trend = trend.periods()
	rep.Classes = classRows(classes, g.bands)
	rep.Members = make([]MemberRow, 0, len(members))
	means := make([]float64, 0, len(members))
	for id, m := range members {
		k := m.kpis()
		row := MemberRow{UserID: id, Team: m.team, KPIs: k, Check: g.targets.Check(k)}
		if row.Check.Ready() {
			rep.Ready++
		}
		rep.Members = append(rep.Members, row)
		means = append(means, k.MeanScore.Value)
	}
	rankMembers(rep.Members)
	rep.Distribution = distribution(means)
	return rep
}

// rankMembers sorts best first and assigns competition ranks. Every member
// has at least one attempt, so MeanScore and FCR are defined.
func rankMembers(rows []MemberRow) {
	better := func(a, b *MemberRow) bool {
		if a.KPIs.MeanScore.Value != b.KPIs.MeanScore.Value {
			return a.KPIs.MeanScore.Value > b.KPIs.MeanScore.Value
		}
		return a.KPIs.FCR.Value > b.KPIs.FCR.Value
	}
	sort.Slice(rows, func(i, j int) bool {
		if better(&rows[i], &rows[j]) || better(&rows[j], &rows[i]) {
			return better(&rows[i], &rows[j])
		}
		return rows[i].UserID < rows[j].UserID
	})
	for i := range rows {
		if i > 0 && !better(&rows[i-1], &rows[i]) {
			rows[i].Rank = rows[i-1].Rank
		} else {
			rows[i].Rank = i + 1
		}
	}
}
