package webui

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/internal/store/storetest"
)

// clusterTestTTL is short so that takeovers come within seconds of the
// test clock passing it; the loops tick in real time.
const clusterTestTTL = 3 * time.Second

// clusterNode is a server on the shared database, serving real HTTP on a
// loopback port that is its node URL.
func clusterNode(tb testing.TB, dsn string, clock *testClock, lib string, seed byte) *testApp {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	cfg := Config{ScenariosDir: lib, NodeURL: "http://" + ln.Addr().String(), LeaseTTL: clusterTestTTL}
	a := openSeededApp(tb, cfg, dsn, clock, seed)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.srv.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		assert.NoError(tb, <-served)
		a.close(tb)
	})
	return a
}

// deadURL is the URL of a port nobody listens on any more.
func deadURL(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	u := "http://" + ln.Addr().String()
	require.NoError(tb, ln.Close())
	return u
}

func TestClusterForwardsToHolder(t *testing.T) {
	verifyNoLeaks(t)
	dsn := storetest.NewDatabase(t)
	clock := &testClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	lib := testLibrary(t)
	a := clusterNode(t, dsn, clock, lib, 1)
	b := clusterNode(t, dsn, clock, lib, 2)
	ctx := context.Background()

	c := a.signedIn(t, a.mkUser(t, "rita", store.RoleTrainee))
	id := startPractice(t, c)
	item := itemPath(id, 0)
	require.Equal(t, http.StatusOK, c.get(item).Code)
	att, err := a.st.Attempt(ctx, id)
	require.NoError(t, err)
	lc := a.waitLive(t, att.Items[0].ID, 1)
	lease, err := a.st.AttemptLease(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, a.srv.cfg.NodeID, lease.NodeID)

	c.app = b
	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"the item page comes from the holder", func(t *testing.T) {
			rec := c.get(item)
			require.Equal(t, http.StatusOK, rec.Code)
			assert.Contains(t, rec.Body.String(), `id="diagnosis"`)
		}},
		{"the event stream is forwarded as it comes", func(t *testing.T) {
			assert.Contains(t, c.stream(item+"/stream", 3*time.Second), "event: sample")
		}},
		{"a remedy posted as a form reaches the holder's call", func(t *testing.T) {
			rec := c.post(item+"/remedies", url.Values{"remedy": {"switch_to_mobile_data"}})
			require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
			require.Len(t, lc.sess.Actions(), 1)
			assert.Equal(t, "switch_to_mobile_data", lc.sess.Actions()[0].RemedyID)
		}},
		{"a forged form is refused before it is forwarded", func(t *testing.T) {
			rec := c.postRaw(item+"/remedies", url.Values{"remedy": {"switch_to_wifi"}, csrfField: {"forged"}})
			assert.Equal(t, http.StatusForbidden, rec.Code)
			assert.Len(t, lc.sess.Actions(), 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
	assert.Equal(t, 0, b.srv.live.count(), "B never ran the call")
	lease, err = b.st.AttemptLease(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, a.srv.cfg.NodeID, lease.NodeID)
}

// TestClusterResumesExpiredLease has a node that died holding an attempt's
// lease: until the lease expires the node answers 503 for the call (it
// cannot reach the holder); once it has, the living node resumes the call
// by itself, with nobody asking.
func TestClusterResumesExpiredLease(t *testing.T) {
	verifyNoLeaks(t)
	dsn := storetest.NewDatabase(t)
	clock := &testClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	b := clusterNode(t, dsn, clock, testLibrary(t), 2)
	ctx := context.Background()

	c := b.signedIn(t, b.mkUser(t, "rita", store.RoleTrainee))
	id := startPractice(t, c)
	att, err := b.st.Attempt(ctx, id)
	require.NoError(t, err)
	it, err := b.st.OpenItem(ctx, att.Items[0].ID)
	require.NoError(t, err)
	_, err = b.st.AcquireLease(ctx, id, "dead-node", deadURL(t), clusterTestTTL)
	require.NoError(t, err)

	rec := c.get(itemPath(id, 0))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "the holder does not answer and its lease still runs")
	assert.Equal(t, 0, b.srv.live.count())

	clock.Advance(clusterTestTTL + time.Second)
	b.waitLive(t, it.ID, 1)
	lease, err := b.st.AttemptLease(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, b.srv.cfg.NodeID, lease.NodeID)
	assert.Equal(t, http.StatusOK, c.get(itemPath(id, 0)).Code)
}
