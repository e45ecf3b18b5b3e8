package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/crypto/bcrypt"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

// clusterTTL is the nodes' lease TTL: short, so that the test waits
// seconds for a takeover, yet three renewals long, so that a slow but
// living node keeps its calls.
const clusterTTL = 5 * time.Second

// clusterPractice is a ten-minute practice exam of the one scenario the
// test library holds.
const clusterPractice = `# yaml-language-server: $schema=../exam.schema.json
id: test-practice
title: {zh: 测试练习, en: Test practice}
mode: practice
scenarios: [wifi-high-rtt]
draw: 1
time_limit: 10m
pass_mark: 50%
review: after_each
`

// clusterLibrary is a scenario directory with the repository's catalog,
// one scenario and the practice exam.
func clusterLibrary(tb testing.TB) string {
	tb.Helper()
	scenario, err := os.ReadFile(filepath.Join("..", "..", "scenarios.d", "wifi-high-rtt.yaml"))
	require.NoError(tb, err)
	return writeLibrary(tb, map[string]string{"wifi-high-rtt.yaml": string(scenario), "exams/practice.yaml": clusterPractice})
}

// TestClusterResumesDeadNodesCall runs two `rtcdrill serve` processes on one
// PostgreSQL database. A trainee's call runs on node A; node B forwards
// what needs the call to A; A is killed (SIGKILL: nothing stored at exit);
// B takes the lease over by itself and resumes the call from the stored
// timeline with the remedy replayed, and the trainee finishes on B with
// every action and the draft answer kept.
func TestClusterResumesDeadNodesCall(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		goleak.VerifyNone(t, ignore)
	})
	ctx := context.Background()
	t.Setenv(storetest.EnvBackend, storetest.Postgres)
	dsn := storetest.NewDatabase(t)
	st, err := store.Open(ctx, dsn, store.WithBcryptCost(bcrypt.MinCost))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	_, err = st.CreateUser(ctx, store.NewUser{Username: "tina", Role: store.RoleTrainee, Password: "tina-secret-pw"})
	require.NoError(t, err)

	bin := buildRtcdrill(t)
	args := []string{"--db", dsn, "--scenarios", clusterLibrary(t), "--lease-ttl", clusterTTL.String()}
	a := startNode(t, bin, args...)
	b := startNode(t, bin, args...)
	var id uint64 // the attempt's, once it starts
	// Registered after the nodes' cleanups, so it runs before them (and
	// before the store closes): a failure shows what the database held and
	// where B was, not only what B logged.
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		if id != 0 {
			logAttemptState(t, st, uint(id))
		}
		quitNode(t, b)
	})
	tr := newTrainee(t)
	t.Cleanup(tr.c.CloseIdleConnections)
	_, loc := tr.post(a.url+"/signin", a.url+"/signin", url.Values{"username": {"tina"}, "password": {"tina-secret-pw"}})
	require.NotContains(t, loc, "signin", "signed in")
	_, loc = tr.post(a.url+"/dashboard", a.url+"/practice/test-practice", nil)
	m := regexp.MustCompile(`^/attempts/(\d+)$`).FindStringSubmatch(loc)
	require.NotNil(t, m, "the practice starts: %q", loc)
	id, err = strconv.ParseUint(m[1], 10, 64)
	require.NoError(t, err)
	leaseOn := func(n *node) func() bool {
		return func() bool {
			l, err := st.AttemptLease(ctx, uint(id))
			return err == nil && l.NodeURL == n.url
		}
	}
	item := fmt.Sprintf("/attempts/%d/items/0", id)

	// The call starts on the node that served the item page.
	code, page := tr.get(a.url + item)
	require.Equal(t, http.StatusOK, code, page)
	require.Eventually(t, leaseOn(a), clusterDeadline, 100*time.Millisecond, "node A leases the attempt")
	_, err = tr.firstSample(a.url + item + "/stream")
	require.NoError(t, err)

	// Node B forwards the page, the stream and the remedy to A; the draft
	// needs no call and is saved by B itself.
	_, err = tr.firstSample(b.url + item + "/stream")
	require.NoError(t, err, "B forwards the event stream")
	tr.post(b.url+item, b.url+item+"/remedies", url.Values{"remedy": {"switch_to_mobile_data"}})
	tr.post(b.url+item, b.url+item+"/answer", url.Values{"root_cause": {"wifi_congestion"},
		"evidence": {"roundTripTime"}, "customer_note": {"Moving you to 4G now."}})
	assert.True(t, leaseOn(a)(), "forwarding leaves the call on A")
	it, err := st.AttemptItem(ctx, uint(id), 0)
	require.NoError(t, err)
	acts, err := st.Actions(ctx, it.ID)
	require.NoError(t, err)
	require.Len(t, acts, 1, "the remedy sent to B was applied on A's call")
	require.Eventually(t, func() bool {
		it, err := st.AttemptItem(ctx, uint(id), 0)
		return err == nil && it.TimelineOffset() >= 4*time.Second
	}, clusterDeadline, 100*time.Millisecond, "A stores the call's offset as it runs")

	a.kill(t)
	killed := time.Now()
	stored, err := st.AttemptItem(ctx, uint(id), 0)
	require.NoError(t, err)
	require.Eventually(t, leaseOn(b), clusterDeadline, 100*time.Millisecond,
		"B takes the dead node's lease over with nobody asking")
	t.Logf("lease moved to B %v after the kill (TTL %v)", time.Since(killed).Round(time.Millisecond), clusterTTL)

	code, page = tr.get(b.url + item)
	require.Equal(t, http.StatusOK, code, page)
	assert.Contains(t, page, `value="wifi_congestion" selected`, "the draft is there")
	assert.Contains(t, page, "Moving you to 4G now.")
	assert.Regexp(t, `id="actions-taken"[^>]*>\s*<li>`, page, "the remedy is listed")
	first, err := tr.firstSample(b.url + item + "/stream")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, first, stored.TimelineOffset().Seconds(), "the timeline resumes where A last stored it")

	tr.post(b.url+item, b.url+item+"/remedies", url.Values{"remedy": {"use_turn_relay"}})
	tr.post(b.url+item, b.url+item+"/submit", url.Values{"root_cause": {"wifi_congestion"},
		"evidence": {"roundTripTime"}, "customer_note": {"Moving you to 4G now."}, "escalate": {"no"}})

	acts, err = st.Actions(ctx, it.ID)
	require.NoError(t, err)
	require.Len(t, acts, 2, "no action lost")
	assert.Equal(t, "switch_to_mobile_data", acts[0].Name)
	assert.Equal(t, "use_turn_relay", acts[1].Name)
	assert.GreaterOrEqual(t, acts[1].Offset(), stored.TimelineOffset(), "the second remedy lands on the resumed timeline")
	ans, err := st.Answer(ctx, it.ID)
	require.NoError(t, err)
	assert.Equal(t, "wifi_congestion", ans.RootCause)
	att, err := st.Attempt(ctx, uint(id))
	require.NoError(t, err)
	assert.Equal(t, store.StatusSubmitted, att.Status)
	results, err := st.Results(ctx, store.ResultFilter{})
	require.NoError(t, err)
	require.Len(t, results, 1)
	assert.True(t, results[0].RootCauseCorrect)
	require.Eventually(t, func() bool {
		_, err := st.AttemptLease(ctx, uint(id))
		return err != nil
	}, clusterDeadline, 100*time.Millisecond, "the finished call gives its lease up")
}

// logAttemptState logs the attempt's lease and status as the database holds
// them, for a failed cluster test: no lease, a lease still held by the dead
// node, or an expired one nobody took tell apart a call that was released,
// a holder that kept renewing, and a node that did not look.
func logAttemptState(tb testing.TB, st *store.Store, id uint) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if l, err := st.AttemptLease(ctx, id); err != nil {
		tb.Logf("lease of attempt %d: %v", id, err)
	} else {
		tb.Logf("lease of attempt %d: node %q at %s, expires %s (%v from now), updated %s",
			id, l.NodeID, l.NodeURL, l.ExpiresAt.Format(time.RFC3339Nano),
			time.Until(l.ExpiresAt).Round(time.Millisecond), l.UpdatedAt.Format(time.RFC3339Nano))
	}
	if att, err := st.Attempt(ctx, id); err != nil {
		tb.Logf("attempt %d: %v", id, err)
	} else {
		tb.Logf("attempt %d: %s, current item %d", id, att.Status, att.CurrentItem)
	}
}

// quitNode sends SIGQUIT to a node that still runs: the Go runtime writes
// every goroutine's stack to the node's output, which the node's cleanup
// then logs, and exits. A node that found nothing to do is thus told apart
// from one whose loop was stuck, and where.
func quitNode(tb testing.TB, n *node) {
	tb.Helper()
	select {
	case <-n.done:
		return
	default:
	}
	if err := n.cmd.Process.Signal(syscall.SIGQUIT); err != nil {
		tb.Logf("SIGQUIT node %s: %v", n.url, err)
		return
	}
	select {
	case <-n.done:
	case <-time.After(10 * time.Second):
		tb.Logf("node %s did not exit on SIGQUIT", n.url)
	}
}
