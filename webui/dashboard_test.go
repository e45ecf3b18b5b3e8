package webui

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

func TestDashboards(t *testing.T) {
	app := newTestApp(t, Config{})
	ctx := t.Context()
	team, err := app.st.CreateTeam(ctx, "Cohort A", "")
	require.NoError(t, err)
	trainee, err := app.st.CreateUser(ctx, store.NewUser{Username: "ana", Role: store.RoleTrainee, Password: password("ana"), TeamID: &team.ID})
	require.NoError(t, err)
	loner := app.mkUser(t, "loner", store.RoleTrainee)
	trainer := app.mkUser(t, "tess", store.RoleTrainer)
	manager := app.mkUser(t, "max", store.RoleManager)
	admin := app.mkUser(t, "root", store.RoleAdmin)

	closes := app.clock.Now().Add(48 * time.Hour)
	exam, err := app.st.CreateExam(ctx, store.Exam{
		Title: "Week 1: choppy video", Mode: store.ModeExam, ScenarioIDs: []string{"wifi-rtt"},
		ReviewPolicy: store.ReviewAfterClose, TimeLimitSeconds: 1800, ClosesAt: &closes, CreatedBy: &trainer.ID,
	}, store.Assignees{TeamIDs: []uint{team.ID}})
	require.NoError(t, err)
	attempt, err := app.st.StartAttempt(ctx, store.NewAttempt{ExamID: &exam.ID, UserID: trainee.ID, Mode: store.ModeExam,
		Items: []store.NewAttemptItem{{ScenarioID: "wifi-rtt", VariantSeed: 1, ContentHash: "h"}}})
	require.NoError(t, err)
	score := 0.8
	_, err = app.st.FinishAttempt(ctx, attempt.ID, store.StatusSubmitted, &score)
	require.NoError(t, err)

	tests := []struct {
		name    string
		user    store.User
		want    []string
		notWant []string
	}{
		{"trainee with an exam and a result", trainee,
			[]string{"Assigned exams", "Week 1: choppy video", "30 min", "Open", "Past results", "Submitted", "80%", "Practice"},
			[]string{"Users", "/admin/"}},
		{"trainee without", loner,
			[]string{"No exams are assigned to you yet.", "You have not taken an exam yet."},
			[]string{"Week 1"}},
		{"trainer", trainer, []string{"Exams", "Week 1: choppy video"}, []string{"/admin/users"}},
		{"manager", manager, []string{"Teams", "Cohort A"}, []string{"/admin/users"}},
		{"admin", admin, []string{"5</span> users in total", "Cohort A", `href="/admin/users/import"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := app.signedIn(t, tt.user).get("/dashboard")
			require.Equal(t, http.StatusOK, rec.Code)
			page := body(t, rec)
			for _, w := range tt.want {
				assert.Contains(t, page, w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, page, w)
			}
		})
	}
	rec := app.signedIn(t, trainee).get("/")
	assert.Equal(t, "/dashboard", rec.Header().Get("Location"))
}
