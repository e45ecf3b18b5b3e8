package webui

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// examFormApp is a server on the repository's scenarios with a trainer, two
// trainees and a team.
type examFormApp struct {
	*testApp
	trainer, ana, bob store.User
	team              store.Team
}

func newExamFormApp(tb testing.TB) *examFormApp {
	tb.Helper()
	app := newTestApp(tb, Config{ScenariosDir: reportLibrary(tb, 0)})
	fa := &examFormApp{testApp: app, trainer: app.mkUser(tb, "tess", store.RoleTrainer),
		ana: app.mkUser(tb, "ana", store.RoleTrainee), bob: app.mkUser(tb, "bob", store.RoleTrainee)}
	var err error
	fa.team, err = app.st.CreateTeam(tb.Context(), "Cohort A", "")
	require.NoError(tb, err)
	return fa
}

// validExamForm is a complete, valid submission.
func (fa *examFormApp) validExamForm() url.Values {
	return url.Values{
		"title": {"Week 3 check"}, "description": {"Network basics"}, "mode": {"exam"},
		"scenario": {"wifi-high-rtt", "jitter-spikes-wifi"}, "tag": {"signaling"},
		"draw": {"3"}, "time_limit": {"25"}, "pass_mark": {"72.5"}, "review": {"after_close"},
		"opens_at": {"2025-03-10T09:00"}, "closes_at": {"2025-03-20T18:00"},
		"assign_user": {fmt.Sprint(fa.ana.ID)}, "assign_team": {fmt.Sprint(fa.team.ID)},
		"extensions": {"bob 15\nANA: +10\n"},
	}
}

func TestExamCreate(t *testing.T) {
	fa := newExamFormApp(t)
	c := fa.signedIn(t, fa.trainer)
	rec := c.post("/trainer/exams", fa.validExamForm())
	require.Equal(t, http.StatusSeeOther, rec.Code, body(t, rec))
	assert.Equal(t, "/trainer/exams", rec.Header().Get("Location"))

	exams, err := fa.st.Exams(t.Context())
	require.NoError(t, err)
	require.Len(t, exams, 1)
	e := exams[0]
	assert.Equal(t, "Week 3 check", e.Title)
	assert.Equal(t, "Network basics", e.Description)
	assert.Equal(t, store.ModeExam, e.Mode)
	assert.Equal(t, []string{"wifi-high-rtt", "jitter-spikes-wifi"}, e.ScenarioIDs)
	assert.Equal(t, []string{"signaling"}, e.Tags)
	assert.Equal(t, 3, e.DrawCount)
	assert.Equal(t, 25*60, e.TimeLimitSeconds)
	assert.InDelta(t, 0.725, e.PassMark, 1e-12)
	assert.Equal(t, store.ReviewAfterClose, e.ReviewPolicy)
	require.NotNil(t, e.OpensAt)
	require.NotNil(t, e.ClosesAt)
	assert.True(t, time.Date(2025, 3, 10, 9, 0, 0, 0, time.Local).Equal(*e.OpensAt))
	assert.True(t, time.Date(2025, 3, 20, 18, 0, 0, 0, time.Local).Equal(*e.ClosesAt))
	require.NotNil(t, e.CreatedBy)
	assert.Equal(t, fa.trainer.ID, *e.CreatedBy)
	who, err := fa.st.ExamAssignees(t.Context(), e.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Assignees{UserIDs: []uint{fa.ana.ID}, TeamIDs: []uint{fa.team.ID}}, who)
	ext, err := fa.st.ExamExtensions(t.Context(), e.ID)
	require.NoError(t, err)
	assert.Equal(t, map[uint]time.Duration{fa.bob.ID: 15 * time.Minute, fa.ana.ID: 10 * time.Minute}, ext)

	list := body(t, c.get("/trainer/exams"))
	assert.Contains(t, list, "The exam has been created.")
	assert.Contains(t, list, "Week 3 check")
	assert.Contains(t, list, fmt.Sprintf(`href="/trainer/exams/%d/edit"`, e.ID))
	assert.Contains(t, list, fmt.Sprintf(`href="/reports/exams/%d"`, e.ID))
	assert.Regexp(t, `3 of [4-9]`, list, "draws 3 from the two scenarios plus the signaling ones")
}

func TestExamFormValidation(t *testing.T) {
	fa := newExamFormApp(t)
	c := fa.signedIn(t, fa.trainer)
	tests := []struct {
		name   string
		modify func(url.Values)
		field  string
		msg    string
	}{
		{"no title", func(v url.Values) { v.Set("title", " ") }, "title", "Please fill this in."},
		{"no mode", func(v url.Values) { v.Del("mode") }, "mode", "Choose exam or practice."},
		{"nothing to draw", func(v url.Values) { v.Del("scenario"); v.Del("tag") }, "scenario", "Choose at least one scenario or tag."},
		{"unknown scenario", func(v url.Values) { v.Add("scenario", "no-such-case") }, "scenario", "Scenario no-such-case is not in the library."},
		{"unknown tag", func(v url.Values) { v.Set("tag", "nope") }, "tag", "No scenario carries the tag nope."},
		{"draw more than the pool", func(v url.Values) { v.Del("tag"); v.Set("draw", "3") }, "draw",
			"The chosen scenarios and tags give only 2 scenarios to draw from."},
		{"draw zero", func(v url.Values) { v.Set("draw", "0") }, "draw", "Enter a whole number from 1 to 1000."},
		{"time limit not a number", func(v url.Values) { v.Set("time_limit", "half an hour") }, "time_limit", "Enter a whole number from 0 to 600."},
		{"pass mark zero", func(v url.Values) { v.Set("pass_mark", "0") }, "pass_mark", "Enter a number above 0 and at most 100."},
		{"pass mark over 100", func(v url.Values) { v.Set("pass_mark", "101") }, "pass_mark", "Enter a number above 0 and at most 100."},
		{"bad policy", func(v url.Values) { v.Set("review", "sometimes") }, "review", "Choose one of the review policies."},
		{"bad date", func(v url.Values) { v.Set("opens_at", "next monday") }, "opens_at", "Enter a date and time."},
		{"closes before opening", func(v url.Values) { v.Set("closes_at", "2025-03-01T09:00") }, "closes_at", "The exam must close after it opens."},
		{"review after close without a close", func(v url.Values) { v.Del("closes_at") }, "closes_at",
			"Reviewing after the exam closes needs a closing date."},
		{"unknown assignee", func(v url.Values) { v.Add("assign_user", "999") }, "assign_user", "Choose from the list."},
		{"unknown team", func(v url.Values) { v.Set("assign_team", "x") }, "assign_team", "Choose from the list."},
		{"bad extensions", func(v url.Values) { v.Set("extensions", "bob\nzed 5\nana 0\nbob 5\nbob 7") }, "extensions",
			`Line 1: write a username and a number of minutes. Line 2: there is no user "zed". Line 3: the extra time must be 1 to 600 minutes. Line 5: bob already has extra time above.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := fa.validExamForm()
			tt.modify(form)
			rec := c.post("/trainer/exams", form)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
			page := html.UnescapeString(body(t, rec))
			assert.Contains(t, page, `<p class="error" id="f-`+tt.field+`-error">`+tt.msg+`</p>`, "message beside the field")
			assert.Contains(t, page, `<a href="#f-`+tt.field+`">`, "listed in the summary")
			for _, name := range []string{"title", "draw", "time_limit", "pass_mark", "opens_at", "closes_at"} {
				if v := form.Get(name); v != "" && strings.TrimSpace(v) != "" {
					assert.Regexp(t, `name="`+name+`"[^>]*value="`+regexp.QuoteMeta(v)+`"`, page, "%s keeps what was typed", name)
				}
			}
			valid := fa.validExamForm()
			for _, name := range []string{"scenario", "tag", "assign_user", "assign_team"} {
				for _, v := range form[name] {
					if strings.HasPrefix(name, "assign") && !slices.Contains(valid[name], v) {
						continue // an id that names nobody has no checkbox to tick
					}
					assert.Regexp(t, `name="`+name+`" value="`+regexp.QuoteMeta(v)+`" checked`, page, "%s %s stays ticked", name, v)
				}
			}
			assert.Contains(t, page, ">"+form.Get("extensions")+"</textarea>", "extensions kept")
			assert.Contains(t, page, ">"+form.Get("description")+"</textarea>", "description kept")
			exams, err := fa.st.Exams(t.Context())
			require.NoError(t, err)
			assert.Empty(t, exams, "nothing stored")
		})
	}
}

func TestExamEdit(t *testing.T) {
	fa := newExamFormApp(t)
	c := fa.signedIn(t, fa.trainer)
	require.Equal(t, http.StatusSeeOther, c.post("/trainer/exams", fa.validExamForm()).Code)
	exams, err := fa.st.Exams(t.Context())
	require.NoError(t, err)
	require.Len(t, exams, 1)
	e := exams[0]
	editURL := fmt.Sprintf("/trainer/exams/%d/edit", e.ID)

	page := html.UnescapeString(body(t, c.get(editURL)))
	assert.Contains(t, page, `value="Week 3 check"`)
	assert.Contains(t, page, `name="scenario" value="wifi-high-rtt" checked`)
	assert.Contains(t, page, `name="tag" value="signaling" checked`)
	assert.Contains(t, page, `value="72.5"`, "the pass mark in percent")
	assert.Contains(t, page, `value="2025-03-10T09:00"`)
	assert.Contains(t, page, fmt.Sprintf(`name="assign_team" value="%d" checked`, fa.team.ID))
	assert.Contains(t, page, ">ana 10\nbob 15</textarea>", "extensions by username")
	assert.Contains(t, page, `<option value="after_close" selected>`)

	form := fa.validExamForm()
	form.Set("title", "Week 3 check (rev)")
	form.Set("mode", "practice")
	form.Del("tag")
	form.Set("draw", "2")
	form.Del("opens_at")
	form.Set("review", "after_each")
	form.Del("assign_team")
	form.Set("extensions", "bob 20")
	rec := c.post(fmt.Sprintf("/trainer/exams/%d", e.ID), form)
	require.Equal(t, http.StatusSeeOther, rec.Code, body(t, rec))
	got, err := fa.st.Exam(t.Context(), e.ID)
	require.NoError(t, err)
	assert.Equal(t, "Week 3 check (rev)", got.Title)
	assert.Equal(t, store.ModePractice, got.Mode)
	assert.Empty(t, got.Tags)
	assert.Equal(t, 2, got.DrawCount)
	assert.Nil(t, got.OpensAt, "a cleared date is cleared")
	assert.Equal(t, e.CreatedAt, got.CreatedAt)
	who, err := fa.st.ExamAssignees(t.Context(), e.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Assignees{UserIDs: []uint{fa.ana.ID}}, who)
	ext, err := fa.st.ExamExtensions(t.Context(), e.ID)
	require.NoError(t, err)
	assert.Equal(t, map[uint]time.Duration{fa.bob.ID: 20 * time.Minute}, ext, "ana's line removed, bob's changed")

	t.Run("invalid edit keeps the record", func(t *testing.T) {
		bad := fa.validExamForm()
		bad.Set("pass_mark", "abc")
		rec := c.post(fmt.Sprintf("/trainer/exams/%d", e.ID), bad)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Contains(t, body(t, rec), fmt.Sprintf(`action="/trainer/exams/%d"`, e.ID), "the form still edits this exam")
		again, err := fa.st.Exam(t.Context(), e.ID)
		require.NoError(t, err)
		assert.Equal(t, "Week 3 check (rev)", again.Title)
	})
	t.Run("unknown exam", func(t *testing.T) {
		assert.Equal(t, http.StatusNotFound, c.get("/trainer/exams/999/edit").Code)
		assert.Equal(t, http.StatusNotFound, c.post("/trainer/exams/999", fa.validExamForm()).Code)
		assert.Equal(t, http.StatusNotFound, c.get("/trainer/exams/abc/edit").Code)
	})
	t.Run("new form defaults", func(t *testing.T) {
		page := body(t, c.get("/trainer/exams/new"))
		assert.Contains(t, page, `name="pass_mark" type="text" value="80"`)
		assert.Contains(t, page, `action="/trainer/exams"`)
		assert.Contains(t, page, `value="exam" checked`)
	})
}
