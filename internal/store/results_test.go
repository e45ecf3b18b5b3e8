package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/grading"
)

// testResult is a valid record for user u, submitted at.
func testResult(u User, scenario string, at time.Time) ResultRecord {
	return ResultRecord{
		UserID: u.ID, ScenarioID: scenario, FaultClass: "network", VariantSeed: -3, SubmittedAt: at,
		HandleTime: 150 * time.Second, TimeToRecover: 20 * time.Second, Score: 72.5, RootCause: "wifi-congestion",
		RootCauseCorrect: true, Resolved: true, FirstContactResolved: true, CSAT: 4,
	}
}

func mustExam(tb testing.TB, s *Store, title string) Exam {
	tb.Helper()
	e, err := s.CreateExam(context.Background(), Exam{Title: title, Mode: ModeExam, ScenarioIDs: []string{"wifi-rtt", "turn-down"},
		ReviewPolicy: ReviewAfterSubmit, PassMark: 0.6}, Assignees{})
	require.NoError(tb, err)
	return e
}

func TestSaveResultRoundTrip(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	team, err := s.CreateTeam(ctx, "Cohort A", "")
	require.NoError(t, err)
	u, err := s.CreateUser(ctx, NewUser{Username: "ana", Role: RoleTrainee, Password: "x", TeamID: &team.ID})
	require.NoError(t, err)
	at := time.Date(2025, 3, 1, 10, 0, 0, 123_000_000, time.FixedZone("CST", 8*3600))
	in := testResult(u, "wifi-rtt", at)
	require.NoError(t, s.SaveResult(ctx, in))

	got, err := s.Results(ctx, ResultFilter{})
	require.NoError(t, err)
	require.Len(t, got, 1)
	r := got[0]
	assert.NotZero(t, r.ID)
	require.NotNil(t, r.TeamID, "the user's team is taken when none is given")
	assert.Equal(t, team.ID, *r.TeamID)
	assert.Equal(t, "Cohort A", r.Team)
	assert.Nil(t, r.ExamID)
	assert.Equal(t, 1, r.AttemptNo, "first practice attempt at the scenario")
	assert.True(t, at.Equal(r.SubmittedAt), "%v vs %v", at, r.SubmittedAt)
	assert.Equal(t, clock.Now(), r.CreatedAt)
	in.ID, in.TeamID, in.Team, in.AttemptNo, in.SubmittedAt, in.CreatedAt = r.ID, r.TeamID, r.Team, 1, r.SubmittedAt, r.CreatedAt
	assert.Equal(t, in, r)

	t.Run("a renamed team keeps its history", func(t *testing.T) {
		_, err := s.UpdateTeam(ctx, team.ID, "Cohort A2", "")
		require.NoError(t, err)
		got, err := s.Results(ctx, ResultFilter{TeamID: &team.ID})
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, "Cohort A2", got[0].Team)
	})

	t.Run("grading conversion", func(t *testing.T) {
		g := r.GradingResult()
		assert.Equal(t, GradingID(u.ID), g.Attempt.UserID)
		assert.Empty(t, g.Attempt.ExamID)
		assert.Equal(t, r.HandleTime, g.Attempt.HandleTime(), "opened is set so handle time matches")
		assert.Equal(t, r.HandleTime, g.Breakdown.HandleTime)
		assert.Equal(t, 4, g.Breakdown.CSAT.Rating)
		assert.InDelta(t, 72.5, g.Breakdown.Score, 0)
		back := ResultRecordOf(g)
		back.ID, back.UserID, back.TeamID, back.Team, back.CreatedAt = r.ID, r.UserID, r.TeamID, r.Team, r.CreatedAt
		assert.Equal(t, r, back, "figures survive the trip through grading")
		assert.Len(t, GradingResults(got), 1)
	})
}

func TestSaveResultValidation(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	tests := []struct {
		name   string
		modify func(*ResultRecord)
	}{
		{"no user", func(r *ResultRecord) { r.UserID = 0 }},
		{"unknown user", func(r *ResultRecord) { r.UserID = 999 }},
		{"no scenario", func(r *ResultRecord) { r.ScenarioID = " " }},
		{"not submitted", func(r *ResultRecord) { r.SubmittedAt = time.Time{} }},
		{"negative handle time", func(r *ResultRecord) { r.HandleTime = -time.Second }},
		{"score over 100", func(r *ResultRecord) { r.Score = 100.5 }},
		{"negative score", func(r *ResultRecord) { r.Score = -1 }},
		{"rating 0", func(r *ResultRecord) { r.CSAT = 0 }},
		{"rating 6", func(r *ResultRecord) { r.CSAT = 6 }},
		{"negative attempt number", func(r *ResultRecord) { r.AttemptNo = -1 }},
		{"unknown attempt", func(r *ResultRecord) { r.AttemptID = ptr(uint(42)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testResult(u, "wifi-rtt", clock.Now())
			tt.modify(&r)
			err := s.SaveResult(ctx, r)
			require.Error(t, err)
			assert.True(t, isInvalidOrMissing(err), "%v", err)
		})
	}

	t.Run("a batch is all or nothing", func(t *testing.T) {
		good := testResult(u, "wifi-rtt", clock.Now())
		bad := good
		bad.CSAT = 9
		assert.ErrorIs(t, s.SaveResults(ctx, []ResultRecord{good, good, bad}), ErrInvalid)
		got, err := s.Results(ctx, ResultFilter{})
		require.NoError(t, err)
		assert.Empty(t, got)
	})
}

func isInvalidOrMissing(err error) bool {
	return errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound)
}

func TestSaveResultLinksAttempt(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	ana, bob := mustUser(t, s, "ana", RoleTrainee), mustUser(t, s, "bob", RoleTrainee)
	exam := mustExam(t, s, "Week 1")
	start := func(u User) Attempt {
		a, err := s.StartAttempt(ctx, NewAttempt{ExamID: &exam.ID, UserID: u.ID, Mode: ModeExam, Items: []NewAttemptItem{
			{ScenarioID: "wifi-rtt", VariantSeed: 1, ContentHash: "h1"}, {ScenarioID: "turn-down", VariantSeed: 2, ContentHash: "h2"}}})
		require.NoError(t, err)
		return a
	}
	first, second, bobs := start(ana), start(ana), start(bob)
	item := func(a Attempt, i int) *uint { return &a.Items[i].ID }
	save := func(u User, a Attempt, i int) error {
		r := testResult(u, a.Items[i].ScenarioID, clock.Now())
		r.AttemptItemID = item(a, i)
		return s.SaveResult(ctx, r)
	}
	require.NoError(t, save(ana, second, 0), "the second sitting may be graded first")
	require.NoError(t, save(ana, first, 1))
	require.NoError(t, save(ana, first, 0))
	require.NoError(t, save(bob, bobs, 0))

	got, err := s.Results(ctx, ResultFilter{UserIDs: []uint{ana.ID}})
	require.NoError(t, err)
	require.Len(t, got, 3)
	numbers := map[uint]int{}
	for _, r := range got {
		require.NotNil(t, r.ExamID, "the exam comes from the attempt")
		assert.Equal(t, exam.ID, *r.ExamID)
		numbers[*r.AttemptItemID] = r.AttemptNo
		assert.Equal(t, *r.AttemptID, map[bool]uint{true: first.ID, false: second.ID}[r.AttemptNo == 1])
	}
	assert.Equal(t, map[uint]int{*item(second, 0): 2, *item(first, 1): 1, *item(first, 0): 1}, numbers)

	tests := []struct {
		name   string
		modify func(*ResultRecord)
		want   error
	}{
		{"same item twice", func(r *ResultRecord) {}, ErrConflict},
		{"someone else's item", func(r *ResultRecord) { r.UserID = bob.ID }, ErrInvalid},
		{"another scenario", func(r *ResultRecord) { r.ScenarioID = "turn-down" }, ErrInvalid},
		{"another attempt", func(r *ResultRecord) { r.AttemptID = &second.ID }, ErrInvalid},
		{"another exam", func(r *ResultRecord) { r.ExamID = ptr(mustExam(t, s, "Other").ID) }, ErrInvalid},
		{"unknown item", func(r *ResultRecord) { r.AttemptItemID = ptr(uint(999)) }, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testResult(ana, "wifi-rtt", clock.Now())
			r.AttemptItemID = item(first, 0)
			tt.modify(&r)
			assert.ErrorIs(t, s.SaveResult(ctx, r), tt.want)
		})
	}
}

func TestResultNumberingWithoutAttempts(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	exam := mustExam(t, s, "Week 1")
	practice := func(sc string) ResultRecord { return testResult(u, sc, clock.Now()) }
	inExam := func(no int) ResultRecord {
		r := testResult(u, "wifi-rtt", clock.Now())
		r.ExamID, r.AttemptNo = &exam.ID, no
		return r
	}
	require.NoError(t, s.SaveResults(ctx, []ResultRecord{
		practice("wifi-rtt"), practice("turn-down"), practice("wifi-rtt"), inExam(3), inExam(0), practice("wifi-rtt"),
	}))
	got, err := s.Results(ctx, ResultFilter{})
	require.NoError(t, err)
	var numbers []int
	for _, r := range got {
		numbers = append(numbers, r.AttemptNo)
	}
	assert.Equal(t, []int{1, 1, 2, 3, 4, 3}, numbers,
		"practice counts per scenario; an exam result without an attempt follows the user's last sitting")
}

func TestResultsFilter(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	team, err := s.CreateTeam(ctx, "Cohort A", "")
	require.NoError(t, err)
	ana, err := s.CreateUser(ctx, NewUser{Username: "ana", Role: RoleTrainee, Password: "x", TeamID: &team.ID})
	require.NoError(t, err)
	bob := mustUser(t, s, "bob", RoleTrainee)
	e1, e2 := mustExam(t, s, "Week 1"), mustExam(t, s, "Week 2")
	base := clock.Now()
	rec := func(u User, sc string, exam *uint, no int, minute int) ResultRecord {
		r := testResult(u, sc, base.Add(time.Duration(minute)*time.Minute))
		r.ExamID, r.AttemptNo = exam, no
		r.RootCause = sc + "/" + u.Username
		return r
	}
	// Saved out of time order: Results sorts by submission.
	require.NoError(t, s.SaveResults(ctx, []ResultRecord{
		rec(ana, "wifi-rtt", &e1.ID, 1, 5),  // ana-w1
		rec(ana, "turn-down", &e1.ID, 1, 1), // ana-t1
		rec(ana, "turn-down", &e1.ID, 2, 9), // ana-t2
		rec(bob, "wifi-rtt", &e2.ID, 1, 3),  // bob-w
		rec(bob, "codec", nil, 1, 7),        // bob-c
		rec(ana, "codec", nil, 1, 2),        // ana-c
		rec(bob, "turn-down", &e2.ID, 1, 4), // bob-t
		rec(bob, "wifi-rtt", &e2.ID, 2, 11), // bob-w2
	}))
	tests := []struct {
		name string
		f    ResultFilter
		want []string
	}{
		{"everything", ResultFilter{}, []string{"turn-down/ana", "codec/ana", "wifi-rtt/bob", "turn-down/bob",
			"wifi-rtt/ana", "codec/bob", "turn-down/ana", "wifi-rtt/bob"}},
		{"one user", ResultFilter{UserIDs: []uint{bob.ID}}, []string{"wifi-rtt/bob", "turn-down/bob", "codec/bob", "wifi-rtt/bob"}},
		{"a team", ResultFilter{TeamID: &team.ID}, []string{"turn-down/ana", "codec/ana", "wifi-rtt/ana", "turn-down/ana"}},
		{"a scenario", ResultFilter{ScenarioID: "wifi-rtt"}, []string{"wifi-rtt/bob", "wifi-rtt/ana", "wifi-rtt/bob"}},
		{"an exam, first attempts", ResultFilter{ExamIDs: []uint{e1.ID}, FirstAttempts: true}, []string{"turn-down/ana", "wifi-rtt/ana"}},
		{"a scenario or an exam", ResultFilter{ScenarioID: "codec", ExamIDs: []uint{e2.ID}},
			[]string{"codec/ana", "wifi-rtt/bob", "turn-down/bob", "codec/bob", "wifi-rtt/bob"}},
		{"user and scenario", ResultFilter{UserIDs: []uint{ana.ID}, ScenarioID: "turn-down"}, []string{"turn-down/ana", "turn-down/ana"}},
		{"nothing matches", ResultFilter{ScenarioID: "nope"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Results(ctx, tt.f)
			require.NoError(t, err)
			require.NotNil(t, got, "never a nil list")
			names := []string{}
			for _, r := range got {
				names = append(names, r.RootCause)
			}
			assert.Equal(t, tt.want, names)
			fast, err := s.ResultsForGrading(ctx, tt.f)
			require.NoError(t, err)
			assert.Equal(t, GradingResults(got), fast, "the report path reads the same figures")
		})
	}

	t.Run("an exam in use cannot be deleted", func(t *testing.T) {
		assert.Error(t, s.db.Delete(&Exam{}, e1.ID).Error)
	})
}

// TestResultsIntoReports feeds stored results to grading's reports, which
// is what the web pages do.
func TestResultsIntoReports(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "ana", RoleTrainee)
	good := testResult(u, "wifi-rtt", clock.Now())
	slow := good
	slow.HandleTime, slow.FirstContactResolved, slow.CSAT, slow.Score = 250*time.Second, false, 2, 40
	require.NoError(t, s.SaveResults(ctx, []ResultRecord{good, slow}))
	got, err := s.Results(ctx, ResultFilter{UserIDs: []uint{u.ID}})
	require.NoError(t, err)
	g, err := grading.NewGrader()
	require.NoError(t, err)
	rep, err := g.TraineeReport(GradingResults(got), GradingID(u.ID))
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Summary.Attempts)
	assert.Equal(t, grading.Known(50), rep.Summary.FCR, "1 of 2 resolved on first contact")
	assert.Equal(t, grading.Known(200), rep.Summary.AHTSeconds, "(150 + 250) / 2")
	assert.Equal(t, grading.Known(50), rep.Summary.CSAT, "one 4 of two ratings")
	assert.Equal(t, grading.Known(56.25), rep.Summary.MeanScore, "(72.5 + 40) / 2")
}
