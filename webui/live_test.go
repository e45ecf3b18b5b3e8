package webui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// TestLiveCallSlots checks the live calls' owned lifecycle: at most
// MaxLiveCalls run; a call in use is never evicted for another (the newcomer
// is told the simulator is busy); an unused one makes room, its offset
// stored; and a call nobody watches stops by itself.
func TestLiveCallSlots(t *testing.T) {
	verifyNoLeaks(t)
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t), MaxLiveCalls: 1, LiveCallIdle: time.Minute})
	app.srv.live.cfg.saveEvery = 100 * time.Millisecond
	ctx := context.Background()
	annUser := app.mkUser(t, "ann", store.RoleTrainee)
	ann, ben := app.signedIn(t, annUser), app.signedIn(t, app.mkUser(t, "ben", store.RoleTrainee))
	idA, idB := startPractice(t, ann), startPractice(t, ben)
	require.Equal(t, http.StatusOK, ann.get(itemPath(idA, 0)).Code)
	a, err := app.srv.ownAttempt(ctx, &annUser, idA)
	require.NoError(t, err)
	spec, err := app.srv.callSpecOf(a, a.Items[0])
	require.NoError(t, err)
	held, err := app.srv.live.acquire(ctx, spec) // as an open event stream holds it
	require.NoError(t, err)

	t.Run("a call in use is never evicted", func(t *testing.T) {
		rec := ben.post(itemPath(idB, 0)+"/remedies", url.Values{"remedy": {"kb_camera_guide"}})
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
		assert.Contains(t, rec.Body.String(), "All live calls are busy")
		assert.Equal(t, 1, app.srv.live.count())
	})
	app.srv.live.release(held)

	t.Run("an unused call makes room", func(t *testing.T) {
		rec := ben.post(itemPath(idB, 0)+"/remedies", url.Values{"remedy": {"kb_camera_guide"}})
		require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
		_, annRuns := app.srv.live.running(a.Items[0].ID)
		assert.False(t, annRuns)
		assert.Equal(t, 1, app.srv.live.count())
		it, err := app.st.AttemptItem(ctx, idA, 0)
		require.NoError(t, err)
		assert.Positive(t, it.TimelineOffsetMS, "the evicted call's offset is stored")
	})

	t.Run("a call nobody watches stops", func(t *testing.T) {
		app.clock.Advance(2 * time.Minute)
		waitFor(t, callDeadline, "the idle call to stop", func() bool { return app.srv.live.count() == 0 })
		it, err := app.st.AttemptItem(ctx, idB, 0)
		require.NoError(t, err)
		assert.Positive(t, it.TimelineOffsetMS)
		acts, err := app.st.Actions(ctx, it.ID)
		require.NoError(t, err)
		assert.Len(t, acts, 1, "the remedy stays with the item for the resumed call")
	})
}

// TestDeadlineEndsAttempt checks that the server's clock ends an attempt:
// the opened items are graded from their drafts as at the deadline, late
// answers are refused, and attempts that ran out while the server was down
// are ended at start-up.
func TestDeadlineEndsAttempt(t *testing.T) {
	ctx := context.Background()
	draft := func(tb testing.TB, app *testApp, attemptID uint, cause string) store.AttemptItem {
		tb.Helper()
		it, err := app.st.AttemptItem(ctx, attemptID, 0)
		require.NoError(tb, err)
		it, err = app.st.OpenItem(ctx, it.ID)
		require.NoError(tb, err)
		_, err = app.st.SaveAnswer(ctx, store.Answer{AttemptItemID: it.ID, RootCause: cause, Evidence: []string{"roundTripTime"}})
		require.NoError(tb, err)
		return it
	}
	expired := func(tb testing.TB, app *testApp, attemptID uint) store.ResultRecord {
		tb.Helper()
		a, err := app.st.Attempt(ctx, attemptID)
		require.NoError(tb, err)
		assert.Equal(tb, store.StatusExpired, a.Status)
		res, err := app.st.ItemResult(ctx, a.Items[0].ID)
		require.NoError(tb, err)
		assert.True(tb, res.SubmittedAt.Equal(*a.Deadline), "graded as at the deadline")
		assert.Contains(tb, a.Items[0].Report, `"auto_submitted":true`)
		return res
	}

	t.Run("while the call runs", func(t *testing.T) {
		verifyNoLeaks(t)
		app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
		app.srv.live.cfg.saveEvery = 100 * time.Millisecond
		c := app.signedIn(t, app.mkUser(t, "cat", store.RoleTrainee))
		id := startPractice(t, c)
		require.Equal(t, http.StatusOK, c.get(itemPath(id, 0)).Code)
		it := draft(t, app, id, "wifi_congestion")
		app.waitLive(t, it.ID, 1)
		app.clock.Advance(11 * time.Minute)
		waitFor(t, callDeadline, "the attempt to expire", func() bool {
			a, err := app.st.Attempt(ctx, id)
			return err == nil && a.Status == store.StatusExpired
		})
		waitFor(t, callDeadline, "the call to end", func() bool { return app.srv.live.count() == 0 })
		res := expired(t, app, id)
		assert.True(t, res.RootCauseCorrect)
		review := c.get(itemPath(id, 0) + "/review").Body.String()
		assert.Contains(t, review, "graded from your saved draft")
	})

	t.Run("late answers are refused", func(t *testing.T) {
		app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
		c := app.signedIn(t, app.mkUser(t, "dan", store.RoleTrainee))
		id := startPractice(t, c)
		draft(t, app, id, "weak_mobile_signal")
		app.clock.Advance(10 * time.Minute)
		rec := c.post(itemPath(id, 0)+"/submit", url.Values{"root_cause": {"wifi_congestion"}, "escalate": {"no"}})
		require.Equal(t, http.StatusSeeOther, rec.Code)
		assert.True(t, strings.HasSuffix(rec.Header().Get("Location"), "/result"))
		res := expired(t, app, id)
		assert.Equal(t, "weak_mobile_signal", res.RootCause, "the draft counts, not the late answer")
		assert.Contains(t, c.get(rec.Header().Get("Location")).Body.String(), "Time is up")
	})

	t.Run("while the server was down", func(t *testing.T) {
		cfg := Config{ScenariosDir: testLibrary(t)}
		app := newTestApp(t, cfg)
		c := app.signedIn(t, app.mkUser(t, "eve", store.RoleTrainee))
		id := startPractice(t, c)
		draft(t, app, id, "wifi_congestion")
		app.clock.Advance(time.Hour)
		again, err := New(cfg, app.st, WithClock(app.clock.Now))
		require.NoError(t, err)
		require.NoError(t, again.Close())
		expired(t, app, id)
	})
}

// BenchmarkLiveCallStart measures what a trainee waits for when opening an
// item: connecting the item's call (resumed from the store) until its
// first sample, then stopping it with its offset stored.
func BenchmarkLiveCallStart(b *testing.B) {
	app := newTestApp(b, Config{ScenariosDir: testLibrary(b)})
	ctx := context.Background()
	u := app.mkUser(b, "bea", store.RoleTrainee)
	id := startPractice(b, app.signedIn(b, u))
	a, err := app.srv.ownAttempt(ctx, &u, id)
	require.NoError(b, err)
	it, err := app.st.OpenItem(ctx, a.Items[0].ID)
	require.NoError(b, err)
	spec, err := app.srv.callSpecOf(a, it)
	require.NoError(b, err)
	for b.Loop() {
		lc, err := app.srv.live.acquire(ctx, spec)
		require.NoError(b, err)
		samples, cancel := lc.sess.Subscribe()
		<-samples
		cancel()
		app.srv.live.release(lc)
		app.srv.live.stop(it.ID)
	}
}
