package webui

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/grading"
	"github.com/rtcdrill/rtcdrill/internal/store"
)

// reportApp is a server on the repository's scenarios with a manager, a
// team with one trainee and one stored exam over two scenarios.
type reportApp struct {
	*testApp
	manager, trainee store.User
	team             store.Team
	exam             store.Exam
}

func newReportApp(tb testing.TB) *reportApp {
	tb.Helper()
	app := newTestApp(tb, Config{ScenariosDir: reportLibrary(tb, 0)})
	ra := &reportApp{testApp: app, manager: app.mkUser(tb, "maria", store.RoleManager)}
	var err error
	ra.team, err = app.st.CreateTeam(tb.Context(), "Cohort A", "")
	require.NoError(tb, err)
	ra.trainee, err = app.st.CreateUser(tb.Context(), store.NewUser{Username: "ana", Role: store.RoleTrainee,
		Password: password("ana"), TeamID: &ra.team.ID})
	require.NoError(tb, err)
	ra.exam, err = app.st.CreateExam(tb.Context(), store.Exam{Title: "Week 1", Mode: store.ModeExam,
		ScenarioIDs: []string{"wifi-high-rtt", "jitter-spikes-wifi"}, DrawCount: 2, ReviewPolicy: store.ReviewAfterSubmit,
		PassMark: 0.7}, store.Assignees{})
	require.NoError(tb, err)
	return ra
}

// pages lists every report page of the fixture, for checks that hold on
// all of them.
func (ra *reportApp) pages() []string {
	return []string{
		"/reports",
		fmt.Sprintf("/reports/trainees/%d", ra.trainee.ID),
		fmt.Sprintf("/reports/teams/%d", ra.team.ID),
		fmt.Sprintf("/reports/teams/%d?by=members", ra.team.ID),
		"/reports/scenarios/wifi-high-rtt",
		"/reports/scenarios/wifi-high-rtt?attempts=all",
		fmt.Sprintf("/reports/exams/%d", ra.exam.ID),
		fmt.Sprintf("/reports/exams/%d?attempts=all", ra.exam.ID),
	}
}

// assertSane checks what must hold on every report page: it renders, has
// no NaN or Inf anywhere, and every chart is well-formed SVG.
func assertSane(t *testing.T, rec *httpResponse) {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body)
	for _, bad := range []string{"NaN", "Inf", "%!"} {
		assert.NotContains(t, rec.Body, bad)
	}
	for _, svg := range regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(rec.Body, -1) {
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			_, err := dec.Token()
			if err != nil {
				assert.Equal(t, "EOF", err.Error(), "chart is well-formed XML: %s", svg)
				break
			}
		}
	}
}

// httpResponse is a response with its body read once.
type httpResponse struct {
	Code   int
	Header http.Header
	Body   string
}

func (ra *reportApp) get(tb testing.TB, c *client, path string) *httpResponse {
	tb.Helper()
	rec := c.get(path)
	return &httpResponse{Code: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
}

func TestReportPagesWithoutData(t *testing.T) {
	ra := newReportApp(t)
	c := ra.signedIn(t, ra.manager)
	for _, p := range ra.pages() {
		t.Run(p, func(t *testing.T) {
			rec := ra.get(t, c, p)
			assertSane(t, rec)
			if p != "/reports" {
				assert.Contains(t, rec.Body, grading.NA, "undefined figures read n/a")
			}
		})
	}
	t.Run("trainee figures", func(t *testing.T) {
		page := ra.get(t, c, fmt.Sprintf("/reports/trainees/%d", ra.trainee.ID)).Body
		assert.Contains(t, page, "No attempts yet.")
		assert.Contains(t, page, "No data yet.", "empty charts say so")
		assert.NotContains(t, page, `class="series"`, "no line is drawn without data")
		assert.Contains(t, page, "FCR = 100 × resolved_on_first_contact / handled", "the formulas are on the page")
	})
}

func TestReportPagesWithOneAttempt(t *testing.T) {
	ra := newReportApp(t)
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	require.NoError(t, ra.st.SaveResult(t.Context(), store.ResultRecord{
		UserID: ra.trainee.ID, ExamID: &ra.exam.ID, ScenarioID: "wifi-high-rtt", FaultClass: "network", VariantSeed: 7,
		SubmittedAt: at, HandleTime: 200 * time.Second, Score: 80, RootCause: "wifi-congestion",
		RootCauseCorrect: true, Resolved: true, FirstContactResolved: true, CSAT: 4,
	}))
	c := ra.signedIn(t, ra.manager)
	for _, p := range ra.pages() {
		t.Run(p, func(t *testing.T) { assertSane(t, ra.get(t, c, p)) })
	}

	t.Run("trainee figures by hand", func(t *testing.T) {
		page := ra.get(t, c, fmt.Sprintf("/reports/trainees/%d", ra.trainee.ID)).Body
		// One attempt: mean 80, FCR 1/1 = 100 %, AHT 200 s = 3:20 (target
		// 3:00 missed), CSAT one 4 of one = 100 %, mean rating 4.
		for _, want := range []string{">80.0<", ">100.0%<", ">3:20<", ">4.00<", "target ≤ 3:00", "target ≥ 85.0%"} {
			assert.Contains(t, page, want)
		}
		assert.Contains(t, page, `<span class="badge warn">missed</span>`, "AHT over target")
		assert.Contains(t, page, "Not ready yet")
		assert.Contains(t, page, "1 days with a value from 2025-03-01 to 2025-03-01; latest 80.", "chart description")
		assert.Contains(t, page, `class="target"`, "target lines are drawn")
		assert.Equal(t, 4, strings.Count(page, `<svg role="img"`), "score, FCR, AHT and CSAT over time")
	})
	t.Run("exam figures", func(t *testing.T) {
		page := ra.get(t, c, fmt.Sprintf("/reports/exams/%d", ra.exam.ID)).Body
		// The sitting has wifi-high-rtt 80 and jitter-spikes-wifi not
		// submitted (0): exam score 40, under the pass mark 70.
		assert.Contains(t, page, ">40.0<")
		assert.Contains(t, page, ">0.0%<", "pass rate")
		assert.Contains(t, page, "Pass mark 70.0")
		alpha := regexp.MustCompile(`Cronbach&#39;s alpha</span><span class="num">([^<]*)<`).FindStringSubmatch(page)
		require.Len(t, alpha, 2)
		assert.Equal(t, grading.NA, alpha[1], "alpha needs two sittings")
	})
	t.Run("trainers see who submitted but cannot follow the link", func(t *testing.T) {
		tc := ra.signedIn(t, ra.mkUser(t, "tess", store.RoleTrainer))
		for _, p := range []string{"/reports/scenarios/wifi-high-rtt", fmt.Sprintf("/reports/exams/%d", ra.exam.ID)} {
			page := ra.get(t, tc, p).Body
			assert.Contains(t, page, ">ana<", p)
			assert.NotContains(t, page, "/reports/trainees/", p)
		}
		page := ra.get(t, c, "/reports/scenarios/wifi-high-rtt").Body
		assert.Contains(t, page, fmt.Sprintf(`<a href="/reports/trainees/%d">ana</a>`, ra.trainee.ID), "managers can")
	})
	t.Run("scenario figures", func(t *testing.T) {
		page := ra.get(t, c, "/reports/scenarios/wifi-high-rtt").Body
		assert.Contains(t, page, `href="/reports/scenarios/wifi-high-rtt?variant=7#submissions"`, "variant drill-down")
		assert.Regexp(t, `(?s)Discrimination.*n/a`, page)
		assert.Contains(t, page, "1 submissions.")
	})
}

func TestReportDrillDown(t *testing.T) {
	ra := newReportApp(t)
	data := genResults(t, ra.testApp, genSpec{Teams: 1, Trainees: 30, Results: 900, ExamSize: 5, PracticeShare: 0.5, Seed: 5})
	c := ra.signedIn(t, ra.manager)
	sc := data.Exams[0].ScenarioIDs[1]
	perVariant := map[int64]int{}
	for _, r := range data.Results {
		if r.ScenarioID == sc {
			perVariant[r.VariantSeed]++
		}
	}
	tests := []struct {
		name, query string
		want        int
	}{
		{"every variant", "?attempts=all", countScenario(data.Results, sc)},
		{"variant 2", "?attempts=all&variant=2", perVariant[2]},
		{"variant 4", "?attempts=all&variant=4", perVariant[4]},
	}
	rowPattern := regexp.MustCompile(`(?s)id="submissions".*`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Positive(t, tt.want)
			rows := 0
			for page := 1; page <= 10; page++ {
				rec := ra.get(t, c, fmt.Sprintf("/reports/scenarios/%s%s&page=%d", sc, tt.query, page))
				assertSane(t, rec)
				subs := rowPattern.FindString(rec.Body)
				rows += strings.Count(subs, "<tr") - 1
				if !strings.Contains(subs, `rel="next"`) {
					break
				}
			}
			assert.Equal(t, tt.want, rows, "the drill-down lists every submission once")
		})
	}
}

func TestReportErrors(t *testing.T) {
	ra := newReportApp(t)
	c := ra.signedIn(t, ra.manager)
	for _, p := range []string{"/reports/trainees/999", "/reports/teams/999", "/reports/scenarios/no-such-case",
		"/reports/exams/999", "/reports/exams/x", "/reports/scenarios/no-such-case/export.csv", "/reports/exams/999/export.csv"} {
		t.Run(p, func(t *testing.T) {
			assert.Equal(t, http.StatusNotFound, c.get(p).Code)
		})
	}
	t.Run("trainers see item statistics only", func(t *testing.T) {
		tc := ra.signedIn(t, ra.mkUser(t, "tess", store.RoleTrainer))
		page := ra.get(t, tc, "/reports").Body
		assert.Contains(t, page, `href="/reports/scenarios/wifi-high-rtt"`)
		assert.Contains(t, page, fmt.Sprintf(`href="/reports/exams/%d"`, ra.exam.ID))
		assert.NotContains(t, page, "/reports/trainees/")
		assert.NotContains(t, page, "/reports/teams/")
	})
	t.Run("in Chinese", func(t *testing.T) {
		zc := ra.signedIn(t, ra.manager)
		zc.header.Set("Accept-Language", "zh-CN")
		page := ra.get(t, zc, fmt.Sprintf("/reports/trainees/%d", ra.trainee.ID)).Body
		assert.Contains(t, page, "学员报表：ana")
		assert.Contains(t, page, "这些数字如何计算")
	})
}
