package main

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNodeURLOf(t *testing.T) {
	tests := map[string]string{
		"10.0.0.5:8080":  "http://10.0.0.5:8080",
		"[::1]:9000":     "http://[::1]:9000",
		"node-a:8080":    "http://node-a:8080",
		":8080":          "",
		"0.0.0.0:8080":   "",
		"[::]:8080":      "",
		"127.0.0.1:0":    "",
		"not an address": "",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) { assert.Equal(t, want, nodeURLOf(in)) })
	}
}

func TestServeNodeFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ttl too short", []string{"--lease-ttl", "200ms"}, "--lease-ttl must be at least 1s"},
		{"node URL without scheme", []string{"--node-url", "10.0.0.5:8080"}, "--node-url"},
		{"node URL with a path", []string{"--node-url", "http://10.0.0.5:8080/app"}, "only scheme, host and port"},
		{"node URL of another scheme", []string{"--node-url", "ftp://10.0.0.5"}, "scheme must be http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, tt.args...)
			assert.Equal(t, 2, dispatch(t.Context(), args, io.Discard, &stderr))
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
}
