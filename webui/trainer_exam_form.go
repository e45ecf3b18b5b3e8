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

// examInput is a validated exam form.
type examInput struct {
	Exam       store.Exam
	Assignees  store.Assignees
	Extensions map[uint]time.Duration
}

// read validates the form, failing each field with a message beside it.
func (ch examChoices) read(f *form, loc *Locale) examInput {
	in := examInput{Extensions: map[uint]time.Duration{}}
	e := &in.Exam
	checkLength(f, loc, "title", 1, 120)
	checkLength(f, loc, "description", 0, 2000)
	e.Title, e.Description = f.Value("title"), f.Value("description")
	e.Mode = store.Mode(f.Value("mode"))
	if e.Mode != store.ModeExam && e.Mode != store.ModePractice {
		f.Fail("mode", loc.T("examform.mode_invalid"))
	}
	pool := ch.readPool(f, loc, e)
	if n, ok := readInt(f, loc, "draw", 1, 1000); ok {
		e.DrawCount = n
		if pool > 0 && n > pool {
			f.Fail("draw", loc.T("examform.draw_too_many", pool))
		}
	}
	if n, ok := readInt(f, loc, "time_limit", 0, 600); ok {
		e.TimeLimitSeconds = n * 60
	}
	e.ReviewPolicy = store.ReviewPolicy(f.Value("review"))
	if !e.ReviewPolicy.Valid() {
		f.Fail("review", loc.T("examform.review_invalid"))
	}
	if v := f.Value("pass_mark"); v == "" {
		f.Fail("pass_mark", loc.T("form.required"))
	} else if pm, err := strconv.ParseFloat(v, 64); err != nil || math.IsNaN(pm) || pm <= 0 || pm > 100 {
		f.Fail("pass_mark", loc.T("examform.pass_mark_invalid"))
	} else {
		e.PassMark = pm / 100
	}
	e.OpensAt, e.ClosesAt = readDate(f, loc, "opens_at"), readDate(f, loc, "closes_at")
	if e.OpensAt != nil && e.ClosesAt != nil && !e.ClosesAt.After(*e.OpensAt) {
		f.Fail("closes_at", loc.T("examform.closes_before_opens"))
	}
	if e.ReviewPolicy == store.ReviewAfterClose && e.ClosesAt == nil && f.Value("closes_at") == "" {
		f.Fail("closes_at", loc.T("examform.after_close_needs_close"))
	}
	in.Assignees.UserIDs = readIDs(f, loc, "assign_user", func(id uint) bool {
		return slices.ContainsFunc(ch.users, func(u store.User) bool { return u.ID == id })
	})
	in.Assignees.TeamIDs = readIDs(f, loc, "assign_team", func(id uint) bool { return hasTeam(ch.teams, id) })
	ch.readExtensions(f, loc, in.Extensions)
	return in
}

// readPool checks the chosen scenarios and tags against the library and
// returns how many scenarios the exam draws from (0 when unknown).
func (ch examChoices) readPool(f *form, loc *Locale, e *store.Exam) int {
	e.ScenarioIDs, e.Tags = uniqueValues(f, "scenario"), uniqueValues(f, "tag")
	if len(e.ScenarioIDs) == 0 && len(e.Tags) == 0 {
		f.Fail("scenario", loc.T("examform.nothing_to_draw"))
		return 0
	}
	if ch.lib == nil {
		f.Fail("scenario", loc.T("examform.no_library"))
		return 0
	}
	def := &scenarios.Exam{}
	for _, id := range e.ScenarioIDs {
		if _, err := ch.lib.Scenario(id); err != nil {
			f.Fail("scenario", loc.T("examform.unknown_scenario", id))
		}
		def.Scenarios = append(def.Scenarios, scenarios.Slug(id))
	}
	tags := ch.tags()
	for _, t := range e.Tags {
		if !slices.Contains(tags, t) {
			f.Fail("tag", loc.T("examform.unknown_tag", t))
		}
		def.Tags = append(def.Tags, scenarios.Slug(t))
	}
	return len(ch.lib.Pool(def))
}

// uniqueValues returns a multi-valued field's values, trimmed, without
// blanks or repeats, in the order sent.
func uniqueValues(f *form, name string) []string {
	var out []string
	for _, v := range f.values[name] {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// readInt reads a required whole number in [lo, hi].
func readInt(f *form, loc *Locale, name string, lo, hi int) (int, bool) {
	v := f.Value(name)
	if v == "" {
		f.Fail(name, loc.T("form.required"))
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		f.Fail(name, loc.T("examform.int_range", lo, hi))
		return 0, false
	}
	return n, true
}

// readDate reads an optional datetime-local field in the server's zone,
// the zone the pages show times in.
func readDate(f *form, loc *Locale, name string) *time.Time {
	v := f.Value(name)
	if v == "" {
		return nil
	}
	t, err := time.ParseInLocation(dateLayout, v, time.Local)
	if err != nil {
		f.Fail(name, loc.T("examform.date_invalid"))
		return nil
	}
	return &t
}

// readIDs reads a multi-valued id field; every id must pass known.
func readIDs(f *form, loc *Locale, name string, known func(uint) bool) []uint {
	var ids []uint
	for _, v := range uniqueValues(f, name) {
		id, err := strconv.ParseUint(v, 10, 64)
		if err != nil || !known(uint(id)) {
			f.Fail(name, loc.T("examform.unknown_choice"))
			continue
		}
		ids = append(ids, uint(id))
	}
	return ids
}

// readExtensions reads "username minutes" lines into grants, reporting
// every bad line in one message beside the field.
func (ch examChoices) readExtensions(f *form, loc *Locale, grants map[uint]time.Duration) {
	byName := map[string]store.User{}
	for _, u := range ch.users {
		byName[strings.ToLower(u.Username)] = u
	}
	var problems []string
	for i, line := range strings.Split(f.Raw("extensions"), "\n") {
		parts := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == ':' || r == ',' || r == '=' || r == '\r' })
		if len(parts) == 0 {
			continue
		}
		u, known := byName[strings.ToLower(parts[0])]
		minutes, err := 0, error(nil)
		if len(parts) == 2 {
			minutes, err = strconv.Atoi(strings.TrimPrefix(parts[1], "+"))
		}
		switch {
		case len(parts) != 2:
			problems = append(problems, loc.T("examform.ext_format", i+1))
		case !known:
			problems = append(problems, loc.T("examform.ext_user", i+1, parts[0]))
		case err != nil || minutes < 1 || minutes > 600:
			problems = append(problems, loc.T("examform.ext_minutes", i+1))
		case grants[u.ID] != 0:
			problems = append(problems, loc.T("examform.ext_repeated", i+1, parts[0]))
		default:
			grants[u.ID] = time.Duration(minutes) * time.Minute
		}
	}
	if len(problems) > 0 {
		f.Fail("extensions", strings.Join(problems, " "))
	}
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
