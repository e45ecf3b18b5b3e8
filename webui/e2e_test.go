package webui

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// screenshotsEnv names the variable that makes the browser test write the
// README's screenshots; CI leaves it unset so that tests do not dirty the
// tree.
const screenshotsEnv = "RTCDRILL_SCREENSHOTS"

// chromiumPath finds the browser. A missing browser fails the test rather
// than skipping it: CI installs Debian's chromium (.ci/run), so its absence
// is a broken machine, not a reason to pass.
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("RTCDRILL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Fatalf("no chromium found: install Debian's chromium (apt-get install chromium, as .ci/run does) or set RTCDRILL_CHROMIUM")
	return ""
}

// browser starts a headless Chromium with the flags this closed network
// needs (see ../shared/notes/browser.md) and returns a context for a tab.
func browser(tb testing.TB) context.Context {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(tb)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1440, 1000),
		chromedp.Flag("lang", "en-US"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser on this context, which must carry
	// no deadline: one would end the browser with it.
	require.NoError(tb, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	return ctx
}

// serve runs the app on a loopback port for the browser.
func serve(tb testing.TB, app *testApp) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.srv.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		assert.NoError(tb, <-done)
	})
	return "http://" + ln.Addr().String()
}

// step runs browser actions with a deadline, naming the step on failure.
func step(tb testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, callDeadline)
	defer cancel()
	require.NoError(tb, chromedp.Do(sctx, actions...), what)
}

// pollInt waits until a page expression is truthy and returns its value.
func pollInt(tb testing.TB, ctx context.Context, what, expr string) int {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, callDeadline)
	defer cancel()
	n, err := chromedp.Run(sctx, chromedp.Poll[int](expr, chromedp.WithPollingTimeout(callDeadline)))
	require.NoError(tb, err, what)
	return n
}

func screenshot(tb testing.TB, ctx context.Context, name string) {
	tb.Helper()
	if os.Getenv(screenshotsEnv) != "1" {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, callDeadline)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	require.NoError(tb, err)
	dir := filepath.Join("..", "docs", "screenshots")
	require.NoError(tb, os.MkdirAll(dir, 0o755))
	require.NoError(tb, os.WriteFile(filepath.Join(dir, name), png, 0o644))
}

// TestBrowserPracticeExam is the end-to-end test in headless Chromium: a
// trainee signs in, starts a practice exam, sees the live chart update,
// applies a remedy, submits a diagnosis and sees the score. With
// RTCDRILL_SCREENSHOTS=1 it also saves the exam page and the trainer's
// scenario editor for the README.
func TestBrowserPracticeExam(t *testing.T) {
	verifyNoLeaks(t)
	app := newTestApp(t, Config{ScenariosDir: testLibrary(t)})
	app.mkUser(t, "tara", store.RoleTrainee)
	app.mkUser(t, "trent", store.RoleTrainer)
	base := serve(t, app)
	ctx := browser(t)

	step(t, ctx, "sign in",
		chromedp.Navigate(base+"/signin"),
		chromedp.SetValue(chromedp.CSS("#f-username"), "tara"),
		chromedp.SetValue(chromedp.CSS("#f-password"), password("tara")),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/practice/test-practice"] button`)))
	step(t, ctx, "start the practice exam",
		chromedp.Click(chromedp.CSS(`form[action="/practice/test-practice"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#chart-rtt")))

	rtt := `Number(document.querySelector("#chart-rtt").dataset.points)`
	first := pollInt(t, ctx, "the first samples", rtt+` >= 2 && `+rtt)
	later := pollInt(t, ctx, "the chart to update", rtt+` > `+strconv.Itoa(first)+` && `+rtt)
	assert.Greater(t, later, first, "the live chart gains points")
	line, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#chart-rtt polyline").getAttribute("points")`))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, strings.Count(line, ","), 2, "a line is drawn: %q", line)

	step(t, ctx, "fill in the diagnosis",
		chromedp.SetValue(chromedp.CSS("#f-root_cause"), "wifi_congestion"),
		chromedp.Click(chromedp.CSS("#ev-roundTripTime")),
		chromedp.SendKeys(chromedp.CSS("#f-customer_note"), "Please switch to 4G; I will stay on the line."),
		chromedp.Click(chromedp.CSS(`input[name="escalate"][value="no"]`)))
	if os.Getenv(screenshotsEnv) == "1" {
		pollInt(t, ctx, "ten seconds of the call for the picture", rtt+` >= 10 && 1`)
		screenshot(t, ctx, "exam.png")
	}
	step(t, ctx, "apply a remedy",
		chromedp.Click(chromedp.CSS(`form.remedy:has(input[value="switch_to_mobile_data"]) button`)))
	pollInt(t, ctx, "the remedy's outcome", `document.querySelector("#remedy-outcome").textContent.includes("to 4g") && 1`)
	pollInt(t, ctx, "the action listed", `document.querySelectorAll("#actions-taken li").length`)

	step(t, ctx, "submit", chromedp.Click(chromedp.CSS("#submit-answer")), chromedp.WaitVisible(chromedp.CSS("#score")))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#score")))
	require.NoError(t, err)
	score, err := strconv.Atoi(strings.TrimSpace(text))
	require.NoError(t, err, "score %q", text)
	// Right cause, evidence and escalation, 0 s handle time: at least 75;
	// 100 when the engine saw the call recover before the submission.
	assert.GreaterOrEqual(t, score, 75)
	assert.LessOrEqual(t, score, 100)

	if os.Getenv(screenshotsEnv) == "1" {
		step(t, ctx, "sign in as a trainer",
			chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
			chromedp.WaitVisible(chromedp.CSS("#f-username")),
			chromedp.Navigate(base+"/signin?next=/trainer/scenarios/wifi-high-rtt.yaml"),
			chromedp.SetValue(chromedp.CSS("#f-username"), "trent"),
			chromedp.SetValue(chromedp.CSS("#f-password"), password("trent")),
			chromedp.Click(chromedp.CSS(`form[action="/signin"] button`)),
			chromedp.WaitVisible(chromedp.CSS("#f-yaml")),
			// A slip a trainer might make, to show the error beside the text.
			chromedp.Evaluate[chromedp.Void](`(function () { var b = document.querySelector("#f-yaml"); b.value = b.value.replace("difficulty: easy", "difficulty: trivial"); })()`),
			chromedp.Click(chromedp.CSS(`button[value="validate"]`)),
			chromedp.WaitVisible(chromedp.CSS(".editor-problems code")))
		screenshot(t, ctx, "editor.png")
	}
	cancelErr := chromedp.Cancel(ctx)
	if cancelErr != nil && !errors.Is(cancelErr, context.Canceled) {
		t.Logf("close browser: %v", cancelErr)
	}
}
