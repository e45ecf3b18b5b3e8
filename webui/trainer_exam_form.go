package webui

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

// examFormPage is the data of the trainer's exam create/edit form.
type examFormPage struct {
	Form *form
	// Editing is the exam being edited, nil when creating.
	Editing   *store.Exam
	NoLibrary bool
	Scenarios []choice
	Tags      []choice
	Users     []choice
	Teams     []choice
	Modes     []choice
	Policies  []choice
}

// choice is one checkbox, radio button or option, checked as submitted.
type choice struct {
	Value, Label, Hint string
	Checked            bool
}

// dateLayout is what <input type="datetime-local"> sends and shows.
const dateLayout = "2006-01-02T15:04"

// examChoices is what the form offers: the library's scenarios and tags,
// the trainees and the teams.
type examChoices struct {
	lib *scenarios.Library
	// users are every account, trainees the active trainees offered as
	// assignees (an exam assigned to someone else keeps them).
	users, trainees []store.User
	teams           []store.Team
}

func (s *Server) examChoices(ctx context.Context) (examChoices, error) {
	var ch examChoices
	ch.lib, _ = s.library.get()
	users, err := s.store.Users(ctx)
	if err != nil {
		return ch, fmt.Errorf("exam form: %w", err)
	}
	ch.users = users
	for _, u := range users {
		if u.Role == store.RoleTrainee && !u.Disabled {
			ch.trainees = append(ch.trainees, u)
		}
	}
	slices.SortFunc(ch.trainees, func(a, b store.User) int {
		return strings.Compare(strings.ToLower(a.Name()), strings.ToLower(b.Name()))
	})
	if ch.teams, err = s.store.Teams(ctx); err != nil {
		return ch, fmt.Errorf("exam form: %w", err)
	}
	return ch, nil
}

// tags lists every tag the library's scenarios carry, sorted.
func (ch examChoices) tags() []string {
	if ch.lib == nil {
		return nil
	}
	var out []string
	for _, sc := range ch.lib.Scenarios() {
		for _, t := range sc.Tags {
			if !slices.Contains(out, string(t)) {
				out = append(out, string(t))
			}
		}
	}
	slices.Sort(out)
	return out
}

// page builds the form's data with every choice checked as f holds it,
// including submitted values the library no longer offers, so that nothing
// typed is lost.
func (ch examChoices) page(loc *Locale, f *form, editing *store.Exam) examFormPage {
	p := examFormPage{Form: f, Editing: editing, NoLibrary: ch.lib == nil}
	checked := func(name, v string) bool { return slices.Contains(f.values[name], v) }
	var known []string
	if ch.lib != nil {
		for _, sc := range ch.lib.Scenarios() {
			id := string(sc.ID)
			known = append(known, id)
			p.Scenarios = append(p.Scenarios, choice{Value: id, Label: loc.Pick(sc.Title),
				Hint: id + " · " + joinSlugs(sc.Tags), Checked: checked("scenario", id)})
		}
	}
	for _, v := range f.values["scenario"] {
		if !slices.Contains(known, v) {
			p.Scenarios = append(p.Scenarios, choice{Value: v, Label: v, Hint: loc.T("examform.not_in_library"), Checked: true})
		}
	}
	tags := ch.tags()
	for _, t := range tags {
		p.Tags = append(p.Tags, choice{Value: t, Label: t, Checked: checked("tag", t)})
	}
	for _, v := range f.values["tag"] {
		if !slices.Contains(tags, v) {
			p.Tags = append(p.Tags, choice{Value: v, Label: v, Hint: loc.T("examform.not_in_library"), Checked: true})
		}
	}
	offered := slices.Clone(ch.trainees)
	for _, u := range ch.users {
		id := strconv.FormatUint(uint64(u.ID), 10)
		if checked("assign_user", id) && !slices.ContainsFunc(offered, func(o store.User) bool { return o.ID == u.ID }) {
			offered = append(offered, u)
		}
	}
	for _, u := range offered {
		id := strconv.FormatUint(uint64(u.ID), 10)
		c := choice{Value: id, Label: u.Name(), Checked: checked("assign_user", id)}
		if u.DisplayName != "" {
			c.Hint = u.Username
		}
		p.Users = append(p.Users, c)
	}
	for _, t := range ch.teams {
		id := strconv.FormatUint(uint64(t.ID), 10)
		p.Teams = append(p.Teams, choice{Value: id, Label: t.Name, Checked: checked("assign_team", id)})
	}
	for _, m := range []store.Mode{store.ModeExam, store.ModePractice} {
		label, hint := "mode."+string(m), "examform.mode_"+string(m)
		p.Modes = append(p.Modes, choice{Value: string(m), Label: loc.T(label), Hint: loc.T(hint), Checked: f.Value("mode") == string(m)})
	}
	for _, r := range []store.ReviewPolicy{store.ReviewAfterEach, store.ReviewAfterSubmit, store.ReviewAfterClose, store.ReviewNever} {
		label := "examform.review_" + string(r)
		p.Policies = append(p.Policies, choice{Value: string(r), Label: loc.T(label), Checked: f.Value("review") == string(r)})
	}
	return p
}

// fillExamForm puts a stored exam into a form for editing.
func fillExamForm(f *form, e store.Exam, who store.Assignees, ext map[uint]time.Duration, users map[uint]store.User) {
	f.Set("title", e.Title)
	f.Set("description", e.Description)
	f.Set("mode", string(e.Mode))
	f.values["scenario"] = slices.Clone(e.ScenarioIDs)
	f.values["tag"] = slices.Clone(e.Tags)
	f.Set("draw", strconv.Itoa(e.DrawCount))
	f.Set("time_limit", strconv.Itoa(e.TimeLimitSeconds/60))
	f.Set("review", string(e.ReviewPolicy))
	f.Set("pass_mark", strconv.FormatFloat(math.Round(e.PassMark*100*100)/100, 'f', -1, 64))
	if e.OpensAt != nil {
		f.Set("opens_at", e.OpensAt.In(time.Local).Format(dateLayout))
	}
	if e.ClosesAt != nil {
		f.Set("closes_at", e.ClosesAt.In(time.Local).Format(dateLayout))
	}
	for _, id := range who.UserIDs {
		f.values.Add("assign_user", strconv.FormatUint(uint64(id), 10))
	}
	for _, id := range who.TeamIDs {
		f.values.Add("assign_team", strconv.FormatUint(uint64(id), 10))
	}
	var lines []string
	for id, d := range ext {
		if u, ok := users[id]; ok {
			lines = append(lines, fmt.Sprintf("%s %d", u.Username, int(d/time.Minute)))
		}
	}
	slices.Sort(lines)
	f.Set("extensions", strings.Join(lines, "\n"))
}

func joinSlugs(ss []scenarios.Slug) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}
