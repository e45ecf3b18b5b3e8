package webui

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/browserfeed"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// chromiumOffer is a Chromium 156 offer with two recvonly transceivers,
// trimmed to VP8 (with RTX) and Opus: what customer_view.js posts. Its
// candidates are absent, so nothing connects; the routes are what is tested.
var chromiumOffer = strings.Join([]string{
	"v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
	"a=extmap-allow-mixed", "a=msid-semantic: WMS",
	"m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
	"a=ice-ufrag:g6P0", "a=ice-pwd:OzlXlb/v03Lr+/aE1Y5oTpa0", "a=ice-options:trickle",
	"a=fingerprint:sha-256 4D:22:D4:52:00:64:26:33:DE:3F:42:2B:33:E5:A2:FA:7A:C1:0E:C2:D6:19:C6:A2:BE:27:52:51:2F:66:89:56",
	"a=setup:actpass", "a=mid:0", "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid", "a=recvonly", "a=rtcp-mux",
	"a=rtcp-rsize", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 goog-remb", "a=rtcp-fb:96 transport-cc",
	"a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
	"m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
	"a=ice-ufrag:g6P0", "a=ice-pwd:OzlXlb/v03Lr+/aE1Y5oTpa0", "a=ice-options:trickle",
	"a=fingerprint:sha-256 4D:22:D4:52:00:64:26:33:DE:3F:42:2B:33:E5:A2:FA:7A:C1:0E:C2:D6:19:C6:A2:BE:27:52:51:2F:66:89:56",
	"a=setup:actpass", "a=mid:1", "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid", "a=recvonly", "a=rtcp-mux",
	"a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1", "",
}, "\r\n")

// postJSON sends JSON as customer_view.js does, with the CSRF header when
// csrf is set.
func (c *client) postJSON(path string, v any, csrf bool) *httptest.ResponseRecorder {
	c.tb.Helper()
	data, err := json.Marshal(v)
	require.NoError(c.tb, err)
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(data))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	req.Header.Set(echo.HeaderAccept, echo.MIMEApplicationJSON)
	if csrf {
		req.Header.Set(echo.HeaderXCSRFToken, c.csrfToken())
	}
	return c.do(req)
}

// TestCustomerViewRoutes checks the customer view's signaling through the
// web app: only the attempt's trainee may connect, report and hang up; the
// feed follows the item's live call; reports are stored with the attempt.
func TestCustomerViewRoutes(t *testing.T) {
	verifyNoLeaks(t)
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
	ctx := context.Background()
	annUser := app.mkUser(t, "ann", store.RoleTrainee)
	ann, ben := app.signedIn(t, annUser), app.signedIn(t, app.mkUser(t, "ben", store.RoleTrainee))
	id := startPractice(t, ann)
	require.Equal(t, http.StatusOK, ann.get(itemPath(id, 0)).Code, "opening the item starts its call")
	a, err := app.srv.ownAttempt(ctx, &annUser, id)
	require.NoError(t, err)
	itemID := a.Items[0].ID
	base := itemPath(id, 0) + "/customer-view"
	offer := customerSDP{Type: "offer", SDP: chromiumOffer}

	t.Run("refusals", func(t *testing.T) {
		tests := []struct {
			name string
			c    *client
			path string
			body any
			csrf bool
			want int
		}{
			{"another trainee's attempt", ben, base + "/offer", offer, true, http.StatusNotFound},
			{"without the CSRF token", ann, base + "/offer", offer, false, http.StatusForbidden},
			{"not an offer", ann, base + "/offer", customerSDP{Type: "answer", SDP: chromiumOffer}, true, http.StatusBadRequest},
			{"not SDP", ann, base + "/offer", customerSDP{Type: "offer", SDP: "hello"}, true, http.StatusBadRequest},
			{"no such item", ann, itemPath(id, 9) + "/customer-view/offer", offer, true, http.StatusNotFound},
			{"a report with no view", ann, base + "/stats", customerReport{ID: "1"}, true, http.StatusNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := tt.c.postJSON(tt.path, tt.body, tt.csrf)
				assert.Equal(t, tt.want, rec.Code, rec.Body.String())
			})
		}
		assert.Zero(t, app.srv.customer.count(), "no refused offer left a feed behind")
	})

	var answer customerSDP
	t.Run("the offer is answered", func(t *testing.T) {
		decode(t, ann.postJSON(base+"/offer", offer, true), &answer)
		assert.Equal(t, "answer", answer.Type)
		assert.NotEmpty(t, answer.ID)
		for _, want := range []string{"m=video", "m=audio", "VP8/90000", "rtx/90000", "opus/48000", "a=candidate:", "127.0.0.1", "a=sendonly"} {
			assert.Contains(t, answer.SDP, want)
		}
		assert.Equal(t, 1, app.srv.customer.count())
	})
	feed, err := app.srv.customer.feeds.Get(itemID)
	require.NoError(t, err)

	t.Run("the feed follows the call's downlink", func(t *testing.T) {
		lc := app.waitLive(t, itemID, 1)
		down := lc.sess.Call().Impairment(simulator.Downlink)
		require.False(t, down.IsZero(), "the scenario impairs the downlink")
		waitFor(t, callDeadline, "the scenario's downlink", func() bool { return assert.ObjectsAreEqual(down, feed.Impairment()) })
		changed := impair.Config{Loss: 0.07, Delay: 40 * time.Millisecond}
		require.NoError(t, lc.sess.Call().SetImpairment(simulator.Downlink, changed))
		waitFor(t, callDeadline, "the changed downlink", func() bool { return assert.ObjectsAreEqual(changed, feed.Impairment()) })
	})

	t.Run("reports are stored and answered with the simulator's", func(t *testing.T) {
		rep := customerReport{ID: answer.ID,
			Video: browserFigures{PacketsLost: 12, PacketsReceived: 400, Jitter: 0.003, FramesPerSecond: 29,
				FrameWidth: 1280, FrameHeight: 720, NackCount: 11, FreezeCount: 1, TotalFreezesDuration: 0.4},
			Audio: browserFigures{PacketsLost: 3, PacketsReceived: 100, ConcealedSamples: 2880, TotalSamplesReceived: 96000}}
		var reply struct {
			Simulator *simulator.Sample `json:"simulator"`
		}
		decode(t, ann.postJSON(base+"/stats", rep, true), &reply)
		require.NotNil(t, reply.Simulator, "the call has samples by now")
		assert.Positive(t, reply.Simulator.Timestamp)

		rec := ann.postJSON(base+"/stats", rep, true)
		assert.Equal(t, http.StatusTooManyRequests, rec.Code, "a second report within half a second")
		app.clock.Advance(time.Second)
		rep.Video.PacketsReceived = 430
		require.Equal(t, http.StatusOK, ann.postJSON(base+"/stats", rep, true).Code)

		rows, err := app.st.CustomerView(ctx, itemID)
		require.NoError(t, err)
		require.Len(t, rows, 4)
		assert.Equal(t, store.MediaVideo, rows[0].Kind)
		assert.Equal(t, int64(12), rows[0].PacketsLost)
		assert.Equal(t, 1280, rows[0].FrameWidth)
		assert.Equal(t, uint64(11), rows[0].NackCount)
		assert.Equal(t, store.MediaAudio, rows[1].Kind)
		assert.Equal(t, uint64(2880), rows[1].ConcealedSamples)
		assert.Equal(t, uint64(430), rows[2].PacketsReceived)

		assert.Equal(t, http.StatusNotFound, ann.postJSON(base+"/stats", customerReport{ID: "other"}, true).Code,
			"a report from a replaced page")
		assert.Equal(t, http.StatusNotFound, ben.postJSON(base+"/stats", rep, true).Code)
	})

	t.Run("a new page replaces the view", func(t *testing.T) {
		var second customerSDP
		decode(t, ann.postJSON(base+"/offer", offer, true), &second)
		assert.NotEqual(t, answer.ID, second.ID)
		select {
		case <-feed.Done():
		case <-time.After(callDeadline):
			t.Fatal("the replaced feed is still open")
		}
		waitFor(t, callDeadline, "one view", func() bool { return app.srv.customer.count() == 1 })
		answer = second
	})

	t.Run("leaving the page hangs up", func(t *testing.T) {
		hangUp := func(c *client, viewID string) int {
			return c.post(base+"/close", url.Values{"id": {viewID}}).Code
		}
		assert.Equal(t, http.StatusNotFound, hangUp(ben, answer.ID))
		assert.Equal(t, http.StatusNotFound, hangUp(ann, "not-this-one"))
		assert.Equal(t, http.StatusNoContent, hangUp(ann, answer.ID))
		waitFor(t, callDeadline, "no view", func() bool { return app.srv.customer.count() == 0 })
		_, err := app.srv.customer.feeds.Get(itemID)
		assert.ErrorIs(t, err, browserfeed.ErrNotFound)
		assert.Equal(t, http.StatusNotFound, hangUp(ann, answer.ID), "once")
	})

	t.Run("closing the server hangs up", func(t *testing.T) {
		decode(t, ann.postJSON(base+"/offer", offer, true), &answer)
		require.Equal(t, 1, app.srv.customer.count())
		// The cleanup closes the server; verifyNoLeaks then finds no feed.
	})
}

// TestCustomerViewPartial renders the partial the exam page includes, in
// both languages: the routes it names, the page's CSRF token, and every
// label translated.
func TestCustomerViewPartial(t *testing.T) {
	pg, err := loadPages()
	require.NoError(t, err)
	cat, err := loadCatalog()
	require.NoError(t, err)
	tests := []struct {
		lang, title string
	}{
		{"en", "The customer&#39;s view"},
		{"zh-CN", "客户视角"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, pg.byName["exam_item"].ExecuteTemplate(&buf, "customer_view",
				view{L: cat.locale(tt.lang), CSRF: "tok", Data: itemPage{BaseURL: "/attempts/3/items/1"}}))
			html := buf.String()
			assert.Contains(t, html, tt.title)
			for _, want := range []string{`data-offer="/attempts/3/items/1/customer-view/offer"`,
				`data-stats="/attempts/3/items/1/customer-view/stats"`, `data-close="/attempts/3/items/1/customer-view/close"`,
				`data-csrf="tok"`, `<video id="cv-video"`, `<audio id="cv-audio"`, `src="/static/customer_view.js"`} {
				assert.Contains(t, html, want)
			}
			assert.NotRegexp(t, `customer\.[a-z]`, html, "an untranslated key")
			assert.Equal(t, 8, strings.Count(html, `<td data-side="browser">`), "one row per metric")
		})
	}
}
