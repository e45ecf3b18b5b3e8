package webui

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/browserfeed"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// customerBrowser starts a headless Chromium that can take a WebRTC call on
// loopback: it must offer 127.0.0.1 as a plain address (see
// ../shared/notes/browser.md), and play audio without a gesture.
func customerBrowser(tb testing.TB) context.Context {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(tb)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("allow-loopback-in-peer-connection", true),
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,WebRtcHideLocalIpsWithMdns"),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(900, 1000),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser on a context without a deadline,
	// which would end the browser with it.
	require.NoError(tb, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	return ctx
}

// customerFeedServer serves the customer view's real partial and script on
// a bare page, and answers its offer with a browserfeed directly: the
// signaling protocol of the real routes, without accounts or a live call.
type customerFeedServer struct {
	tb        testing.TB
	imp       impair.Config
	rendition string
	page      []byte

	mu      sync.Mutex
	feed    *browserfeed.Feed
	reports []customerReport
	closed  []string
}

const customerTestCSRF = "csrf-token-of-the-test"

func newCustomerFeedServer(tb testing.TB, imp impair.Config, rendition string) (*customerFeedServer, string) {
	tb.Helper()
	pg, err := loadPages()
	require.NoError(tb, err)
	cat, err := loadCatalog()
	require.NoError(tb, err)
	var buf bytes.Buffer
	buf.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>customer view</title>` +
		`<link rel="stylesheet" href="/static/app.css"></head><body><main class="exam">`)
	require.NoError(tb, pg.byName["exam_item"].ExecuteTemplate(&buf, "customer_view",
		view{L: cat.locale("en"), CSRF: customerTestCSRF, Data: struct{ BaseURL string }{"/t"}}))
	buf.WriteString(`</main></body></html>`)
	fs := &customerFeedServer{tb: tb, imp: imp, rendition: rendition, page: buf.Bytes()}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /customer", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(fs.page)
	})
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(mustSub(staticFS, "static"))))
	mux.HandleFunc("POST /t/customer-view/offer", fs.offer)
	mux.HandleFunc("POST /t/customer-view/stats", fs.stats)
	mux.HandleFunc("POST /t/customer-view/close", fs.hangUp)
	srv := httptest.NewServer(mux)
	tb.Cleanup(func() {
		srv.Close()
		fs.mu.Lock()
		f := fs.feed
		fs.mu.Unlock()
		if f != nil {
			assert.NoError(tb, f.Close())
		}
	})
	return fs, srv.URL
}

func (fs *customerFeedServer) offer(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-CSRF-Token") != customerTestCSRF {
		http.Error(w, "csrf", http.StatusForbidden)
		return
	}
	var o customerSDP
	if err := json.NewDecoder(r.Body).Decode(&o); err != nil || o.Type != "offer" {
		http.Error(w, "bad offer", http.StatusBadRequest)
		return
	}
	f, err := browserfeed.New(context.Background(), browserfeed.WithImpairment(fs.imp),
		browserfeed.WithRand(rand.New(rand.NewPCG(2026, 7))), browserfeed.WithRendition(fs.rendition))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	answer, err := f.Answer(r.Context(), o.SDP)
	if err != nil {
		_ = f.Close()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fs.mu.Lock()
	fs.feed = f
	fs.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(customerSDP{ID: "view-1", Type: "answer", SDP: answer})
}

// stats keeps the page's reports and answers, in the simulator's place,
// with the feed's own counts (what the impairment lost, what was NACKed,
// the size sent), which the page must show beside its figures.
func (fs *customerFeedServer) stats(w http.ResponseWriter, r *http.Request) {
	var rep customerReport
	if r.Header.Get("X-CSRF-Token") != customerTestCSRF || json.NewDecoder(r.Body).Decode(&rep) != nil {
		http.Error(w, "bad report", http.StatusBadRequest)
		return
	}
	fs.mu.Lock()
	fs.reports = append(fs.reports, rep)
	f := fs.feed
	fs.mu.Unlock()
	st := f.Stats()
	smp := &simulator.Sample{FramesPerSecond: 30, FrameWidth: st.Width, FrameHeight: st.Height, NackCount: st.Nacked}
	if st.Impairment.RTPPackets > 0 {
		smp.FractionLost = float64(st.Impairment.RTPLost) / float64(st.Impairment.RTPPackets)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(customerReply{Simulator: smp})
}

func (fs *customerFeedServer) hangUp(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("_csrf") != customerTestCSRF {
		http.Error(w, "csrf", http.StatusForbidden)
		return
	}
	fs.mu.Lock()
	fs.closed = append(fs.closed, r.FormValue("id"))
	f := fs.feed
	fs.mu.Unlock()
	if f != nil {
		_ = f.Close()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (fs *customerFeedServer) current() (*browserfeed.Feed, []customerReport, []string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.feed, append([]customerReport(nil), fs.reports...), append([]string(nil), fs.closed...)
}

// pageFigures is what rtcdrillCustomerView.figures() resolves to.
type pageFigures struct {
	Video browserFigures `json:"video"`
	Audio browserFigures `json:"audio"`
}

// figuresUntil polls the page's getStats until ok holds.
func figuresUntil(tb testing.TB, ctx context.Context, what string, ok func(pageFigures) bool) pageFigures {
	tb.Helper()
	end := time.Now().Add(callDeadline)
	for {
		ectx, cancel := context.WithTimeout(ctx, 30*time.Second)
		f, err := chromedp.Run(ectx, chromedp.Evaluate[pageFigures]("window.rtcdrillCustomerView.figures()", chromedp.EvalAwaitPromise))
		cancel()
		require.NoError(tb, err, what)
		if ok(f) {
			return f
		}
		if time.Now().After(end) {
			tb.Fatalf("timed out after %v waiting for %s; last figures %+v", callDeadline, what, f)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func customerScreenshot(tb testing.TB, ctx context.Context, name string) {
	tb.Helper()
	if os.Getenv(screenshotsEnv) != "1" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#customer-view")))
	require.NoError(tb, err)
	dir := filepath.Join("..", "docs", "screenshots")
	require.NoError(tb, os.MkdirAll(dir, 0o755))
	require.NoError(tb, os.WriteFile(filepath.Join(dir, name), png, 0o644))
}
