package webui

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

// openApp starts a server on an existing database file, as `rtcdrill
// serve` does after a restart.
func openApp(tb testing.TB, cfg Config, path string, clock *testClock) *testApp {
	tb.Helper()
	return openSeededApp(tb, cfg, path, clock, 7, WithRandom(rand.NewChaCha8([32]byte{9})))
}

// openSeededApp is openApp with the store's random seed given: nodes that
// share one database need different seeds, or they would draw the same
// session tokens.
func openSeededApp(tb testing.TB, cfg Config, dsn string, clock *testClock, seed byte, opts ...Option) *testApp {
	tb.Helper()
	st, err := store.Open(context.Background(), dsn, store.WithClock(clock.Now),
		store.WithBcryptCost(bcrypt.MinCost), store.WithRandom(rand.NewChaCha8([32]byte{seed})))
	require.NoError(tb, err)
	log := slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := New(cfg, st, append([]Option{WithClock(clock.Now), WithLogger(log)}, opts...)...)
	require.NoError(tb, err)
	return &testApp{srv: srv, st: st, clock: clock}
}

func (a *testApp) close(tb testing.TB) {
	tb.Helper()
	require.NoError(tb, a.srv.Close())
	require.NoError(tb, a.st.Close())
}

// TestExamSurvivesRestart stops the server in the middle of an exam and
// starts a new one on the same database: the trainee carries on with the
// same call variant from where its timeline was, with every remedy and the
// draft diagnosis, and the timer continues from the stored deadline.
func TestExamSurvivesRestart(t *testing.T) {
	verifyNoLeaks(t)
	cfg := Config{ScenariosDir: testLibrary(t)}
	path := storetest.NewDatabase(t)
	clock := &testClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	ctx := context.Background()

	first := openApp(t, cfg, path, clock)
	c := first.signedIn(t, first.mkUser(t, "rita", store.RoleTrainee))
	id := startPractice(t, c)
	item := itemPath(id, 0)
	require.Equal(t, http.StatusOK, c.get(item).Code)
	a, err := first.st.Attempt(ctx, id)
	require.NoError(t, err)
	it, deadline := a.Items[0], *a.Deadline
	first.waitLive(t, it.ID, 3)
	require.Equal(t, http.StatusSeeOther, c.post(item+"/remedies", url.Values{"remedy": {"switch_to_mobile_data"}}).Code)
	require.Equal(t, http.StatusSeeOther, c.post(item+"/answer", url.Values{"root_cause": {"wifi_congestion"},
		"evidence": {"roundTripTime"}, "customer_note": {"Moving you to 4G now."}}).Code)
	first.waitLive(t, it.ID, 5)
	clock.Advance(2 * time.Minute)
	first.close(t)

	stored, err := func() (store.AttemptItem, error) {
		st, err := store.Open(ctx, path)
		if err != nil {
			return store.AttemptItem{}, err
		}
		defer st.Close()
		return st.AttemptItem(ctx, id, 0)
	}()
	require.NoError(t, err)
	require.Greater(t, stored.TimelineOffset(), 4*time.Second, "closing stores how far the call had run")

	second := openApp(t, cfg, path, clock)
	defer second.close(t)
	c.app = second
	page := c.get(item)
	require.Equal(t, http.StatusOK, page.Code, page.Body.String())
	body := page.Body.String()
	assert.Contains(t, body, `value="wifi_congestion" selected`, "the draft is back")
	assert.Contains(t, body, `value="roundTripTime" checked`)
	assert.Contains(t, body, "Moving you to 4G now.")
	assert.Contains(t, body, fmt.Sprintf(`data-remaining="%d"`, int(deadline.Sub(clock.Now())/time.Second)),
		"the timer runs on from the stored deadline")
	assert.Contains(t, body, `data-remaining="480"`)

	lc := second.waitLive(t, it.ID, 1)
	acts := lc.sess.Actions()
	require.Len(t, acts, 1, "the remedy is replayed into the new call")
	assert.Equal(t, "switch_to_mobile_data", acts[0].RemedyID)
	assert.Equal(t, uint64(it.VariantSeed), lc.sess.Variant().Seed, "same variant")
	series := lc.sess.Series()
	assert.GreaterOrEqual(t, series[0].Offset, stored.TimelineOffset(), "the timeline resumes where it was")

	require.Equal(t, http.StatusSeeOther, c.post(item+"/submit", url.Values{"root_cause": {"wifi_congestion"},
		"evidence": {"roundTripTime"}, "customer_note": {"Moving you to 4G now."}, "escalate": {"no"}}).Code)
	results, err := second.st.Results(ctx, store.ResultFilter{})
	require.NoError(t, err)
	require.Len(t, results, 1)
	assert.True(t, results[0].RootCauseCorrect)
	assert.Equal(t, 2*time.Minute, results[0].HandleTime, "the handle time spans the restart")
}
