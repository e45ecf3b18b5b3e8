package webui

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServeStopsOnContextAndClose(t *testing.T) {
	tests := []struct {
		name string
		stop func(cancel context.CancelFunc, s *Server) error
	}{
		{"context cancelled", func(cancel context.CancelFunc, _ *Server) error { cancel(); return nil }},
		{"server closed", func(_ context.CancelFunc, s *Server) error { return s.Close() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newTestApp(t, Config{})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- app.srv.Serve(ctx, ln) }()

			resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)

			require.NoError(t, tt.stop(cancel, app.srv))
			select {
			case err := <-done:
				assert.NoError(t, err)
			case <-time.After(30 * time.Second):
				t.Fatal("Serve did not return")
			}
			require.NoError(t, app.srv.Close())
			require.NoError(t, app.srv.Close(), "closing twice is fine")
		})
	}
	t.Run("serve after close", func(t *testing.T) {
		app := newTestApp(t, Config{})
		require.NoError(t, app.srv.Close())
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		assert.Error(t, app.srv.Serve(t.Context(), ln))
	})
}

func TestNewRejectsBadInput(t *testing.T) {
	app := newTestApp(t, Config{})
	_, err := New(Config{}, nil)
	assert.Error(t, err)
	for name, opt := range map[string]Option{"nil clock": WithClock(nil), "nil random": WithRandom(nil), "nil logger": WithLogger(nil)} {
		t.Run(name, func(t *testing.T) {
			_, err := New(Config{}, app.st, opt)
			assert.Error(t, err)
		})
	}
}
