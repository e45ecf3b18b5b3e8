package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// clusterDeadline bounds each wait of the cluster test: a node starting, a
// call connecting, a lease moving. They take seconds; a loaded 2-core
// machine under -race is slow.
const clusterDeadline = time.Minute

// buildRtcdrill builds the real binary once for the test.
func buildRtcdrill(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "rtcdrill")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(tb, err, "go build: %s", out)
	return bin
}

// freeAddr is a loopback address with a port nobody listens on now.
func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	addr := ln.Addr().String()
	require.NoError(tb, ln.Close())
	return addr
}

// node is one `rtcdrill serve` process.
type node struct {
	url  string // http://127.0.0.1:port, its --node-url too
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// startNode runs `rtcdrill serve` as a child process and waits until it
// answers /healthz; the test's cleanup kills it if it still runs.
func startNode(tb testing.TB, bin string, args ...string) *node {
	tb.Helper()
	addr := freeAddr(tb)
	n := &node{url: "http://" + addr, out: &lockedBuffer{}, done: make(chan struct{})}
	n.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr, "--data", tb.TempDir()}, args...)...)
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	require.NoError(tb, n.cmd.Start())
	go func() {
		defer close(n.done)
		_ = n.cmd.Wait()
	}()
	tb.Cleanup(func() {
		n.kill(tb)
		if tb.Failed() {
			tb.Logf("node %s said:\n%s", n.url, n.out.String())
		}
	})
	require.Eventually(tb, func() bool {
		resp, err := http.Get(n.url + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, clusterDeadline, 50*time.Millisecond, "node %s did not come up: %s", n.url, n.out)
	return n
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would:
// nothing is stored, nothing released.
func (n *node) kill(tb testing.TB) {
	tb.Helper()
	select {
	case <-n.done:
		return
	default:
	}
	require.NoError(tb, n.cmd.Process.Signal(os.Kill))
	select {
	case <-n.done:
	case <-time.After(clusterDeadline):
		tb.Errorf("node %s did not die", n.url)
	}
}

// trainee is a browser: one cookie jar for all nodes (cookies do not care
// about ports, as behind a load balancer), no redirects followed.
type trainee struct {
	tb testing.TB
	c  *http.Client
}

func newTrainee(tb testing.TB) *trainee {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(tb, err)
	return &trainee{tb: tb, c: &http.Client{Jar: jar, Timeout: clusterDeadline,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get fetches a page and returns its status and body.
func (t *trainee) get(u string) (int, string) {
	t.tb.Helper()
	resp, err := t.c.Get(u)
	require.NoError(t.tb, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t.tb, err)
	return resp.StatusCode, string(body)
}

// post sends a form with the CSRF token of the page at from, as the browser
// would after loading that page, and returns the status and Location.
func (t *trainee) post(from, u string, form url.Values) (int, string) {
	t.tb.Helper()
	code, page := t.get(from)
	require.Equal(t.tb, http.StatusOK, code, "GET %s: %s", from, page)
	m := csrfInput.FindStringSubmatch(page)
	require.NotNil(t.tb, m, "no CSRF token on %s", from)
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", m[1])
	resp, err := t.c.PostForm(u, form)
	require.NoError(t.tb, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t.tb, err)
	require.Less(t.tb, resp.StatusCode, 400, "POST %s: %s", u, body)
	return resp.StatusCode, resp.Header.Get("Location")
}

// firstSample reads an item's event stream until its first sample and
// returns that sample's timestamp (seconds into the call's timeline).
func (t *trainee) firstSample(u string) (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), clusterDeadline)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := t.c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("stream %s: %s", u, resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "sample":
			var smp struct {
				Timestamp float64 `json:"timestamp"`
			}
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &smp); err != nil {
				return 0, err
			}
			return smp.Timestamp, nil
		case strings.HasPrefix(line, "data: ") && event == "end":
			return 0, fmt.Errorf("stream %s ended: %s", u, line)
		}
	}
	return 0, fmt.Errorf("stream %s closed without a sample: %v", u, sc.Err())
}
