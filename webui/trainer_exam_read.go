package webui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/scenarios"
)

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
