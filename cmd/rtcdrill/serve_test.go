package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is an io.Writer safe to read while the server writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServe runs `rtcdrill serve` in-process on a free loopback port and
// returns its base URL once it has printed it.
func startServe(tb testing.TB, args ...string) (base string, stdout *lockedBuffer, stop func() int) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout = &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- dispatch(ctx, append([]string{"serve"}, args...), stdout, io.Discard) }()
	urlLine := regexp.MustCompile(`serving on (http://\S+/)`)
	require.Eventually(tb, func() bool { return urlLine.MatchString(stdout.String()) }, 30*time.Second, 20*time.Millisecond,
		"serve printed no URL: %s", stdout.String())
	base = urlLine.FindStringSubmatch(stdout.String())[1]
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(30 * time.Second):
				tb.Error("serve did not stop")
			}
		})
		return code
	}
	tb.Cleanup(func() { stop() })
	return base, stdout, stop
}

func TestServe(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	base, stdout, stop := startServe(t, "--addr", "127.0.0.1:0", "--data", data, "--scenarios", t.TempDir())

	resp, err := http.Get(base + "healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	m := regexp.MustCompile(`one-time password\s+(\S+)\s`).FindStringSubmatch(stdout.String())
	require.Len(t, m, 2, "first run prints the admin's one-time password: %s", stdout.String())

	// Sign in with it, as a browser would (same-origin fetch metadata).
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodPost, base+"signin",
		strings.NewReader(url.Values{"username": {"admin"}, "password": {m[1]}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/password", resp.Header.Get("Location"))

	assert.Equal(t, 0, stop(), "a cancelled context is a clean stop")
	assert.Contains(t, stdout.String(), "rtcdrill stopped.")
	_, err = http.Get(base + "healthz")
	assert.Error(t, err, "the port is closed after shutdown")

	t.Run("second start prints no password", func(t *testing.T) {
		_, out, stop := startServe(t, "--addr", "127.0.0.1:0", "--data", data)
		assert.Contains(t, out.String(), "with your account")
		assert.NotContains(t, out.String(), "one-time password")
		assert.Equal(t, 0, stop())
	})
}

func TestServeFlagsAndEnv(t *testing.T) {
	t.Setenv("RTCDRILL_ADDR", "127.0.0.1:0")
	t.Setenv("RTCDRILL_DATA", filepath.Join(t.TempDir(), "envdata"))
	base, out, stop := startServe(t)
	assert.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)
	assert.Contains(t, out.String(), "envdata")
	assert.Equal(t, 0, stop())

	tests := []struct {
		name string
		args []string
		want int
	}{
		{"help", []string{"serve", "--help"}, 0},
		{"unknown flag", []string{"serve", "--nope"}, 2},
		{"stray argument", []string{"serve", "extra"}, 2},
		{"port in use or bad address", []string{"serve", "--addr", "256.0.0.1:99999", "--data", t.TempDir()}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, dispatch(t.Context(), tt.args, io.Discard, io.Discard))
		})
	}
}

func TestBrowseURL(t *testing.T) {
	tests := map[string]string{
		"[::]:8080":      "http://localhost:8080/",
		"0.0.0.0:80":     "http://localhost:80/",
		"127.0.0.1:9000": "http://127.0.0.1:9000/",
		"[::1]:9000":     "http://[::1]:9000/",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			addr, err := netResolve(in)
			require.NoError(t, err)
			assert.Equal(t, want, browseURL(addr))
		})
	}
}

func netResolve(s string) (*net.TCPAddr, error) { return net.ResolveTCPAddr("tcp", s) }
