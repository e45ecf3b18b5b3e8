package main

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeMetricsToken checks that the scrape token reaches the server
// from the environment, and that a weak one is refused naming the flag.
func TestServeMetricsToken(t *testing.T) {
	const token = "serve-test-token-5d1c0a"
	t.Setenv("RTCDRILL_METRICS_TOKEN", token)
	base, _, stop := startServe(t, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "data"),
		"--scenarios", t.TempDir())
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	scrape := func(auth string) (int, string) {
		req, err := http.NewRequest(http.MethodGet, base+"metrics", nil)
		require.NoError(t, err)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	code, body := scrape("Bearer " + token)
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "rtcdrill_live_calls_max 8")
	code, _ = scrape("")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, 0, stop())

	tests := []struct {
		name, token string
	}{
		{"too short", "short"},
		{"with a space", "sixteen chars and more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := dispatch(t.Context(), []string{"serve", "--metrics-token", tt.token, "--data", t.TempDir()}, io.Discard, &stderr)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr.String(), "--metrics-token")
		})
	}
}
