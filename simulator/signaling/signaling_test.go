package signaling_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

const answerSDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"

// service is a primary and a backup signaling server behind one directory,
// and a client with a short attempt timeout.
type service struct {
	primary, backup *signaling.Server
	dir             *signaling.Directory
	client          *signaling.Client
	offers          chan string
}

func startService(tb testing.TB, handlerErr error) *service {
	tb.Helper()
	s := &service{offers: make(chan string, 16)}
	h := func(_ context.Context, session, offer string) (string, error) {
		s.offers <- session + "|" + offer
		return answerSDP, handlerErr
	}
	var err error
	s.primary, err = signaling.NewServer("primary", h)
	require.NoError(tb, err)
	s.backup, err = signaling.NewServer("backup", h)
	require.NoError(tb, err)
	s.dir, err = signaling.NewDirectory()
	require.NoError(tb, err)
	s.dir.Set(signaling.PrimaryDomain, s.primary.Addr())
	s.dir.Set(signaling.BackupDomain, s.backup.Addr())
	s.client, err = signaling.NewClient(s.dir, signaling.WithAttemptTimeout(500*time.Millisecond))
	require.NoError(tb, err)

	var wg sync.WaitGroup
	for _, srv := range []*signaling.Server{s.primary, s.backup} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(tb, srv.Run(context.Background()))
		}()
	}
	tb.Cleanup(func() {
		require.NoError(tb, s.dir.Close())
		require.NoError(tb, s.dir.Close(), "Close is idempotent")
		s.client.Close()
		require.NoError(tb, s.primary.Close())
		require.NoError(tb, s.backup.Close())
		require.NoError(tb, s.primary.Close(), "Close is idempotent")
		wg.Wait()
	})
	return s
}

func TestFaults(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	tests := []struct {
		name    string
		fault   signaling.Fault
		down    bool
		wantErr []string // substrings of the error text, as the app logs it
		check   func(t *testing.T, answer string, err error)
	}{
		{name: "none", fault: signaling.Fault{Mode: signaling.ModeNone}, check: func(t *testing.T, a string, _ error) {
			assert.Equal(t, answerSDP, a)
		}},
		{name: "slow", fault: signaling.Fault{Mode: signaling.ModeSlow, Delay: 50 * time.Millisecond}, check: func(t *testing.T, a string, _ error) {
			assert.Equal(t, answerSDP, a)
		}},
		{name: "timeout", fault: signaling.Fault{Mode: signaling.ModeTimeout},
			wantErr: []string{"failed to WebSocket dial", signaling.PrimaryDomain, "context deadline exceeded"}},
		{name: "slower than the attempt timeout", fault: signaling.Fault{Mode: signaling.ModeSlow, Delay: 10 * time.Second},
			wantErr: []string{"failed to read JSON message", "context deadline exceeded"}},
		{name: "no answer", fault: signaling.Fault{Mode: signaling.ModeNoAnswer},
			wantErr: []string{"failed to read JSON message", "context deadline exceeded"}},
		{name: "reset", fault: signaling.Fault{Mode: signaling.ModeReset},
			wantErr: []string{"failed to read JSON message", "connection reset by peer"}},
		{name: "malformed", fault: signaling.Fault{Mode: signaling.ModeMalformedSDP}, check: func(t *testing.T, a string, _ error) {
			assert.NotEqual(t, answerSDP, a)
			assert.Contains(t, a, `\r\n`, "line breaks escaped twice")
			assert.NotContains(t, a, "\r\n")
		}},
		{name: "refused", fault: signaling.Fault{Mode: signaling.ModeRefusedSDP}, wantErr: []string{"488 Not Acceptable Here"},
			check: func(t *testing.T, _ string, err error) {
				var r *signaling.RefusedError
				require.True(t, errors.As(err, &r))
				assert.Equal(t, 488, r.Code)
			}},
		{name: "primary down", down: true, fault: signaling.Fault{Mode: signaling.ModeNone},
			wantErr: []string{"failed to WebSocket dial", signaling.PrimaryDomain, "connection refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startService(t, nil)
			require.NoError(t, s.primary.SetFault(tt.fault))
			s.dir.SetDown(signaling.PrimaryDomain, tt.down)
			answer, err := s.client.Exchange(context.Background(), signaling.PrimaryDomain, "sess-1", "v=0 offer")
			if len(tt.wantErr) == 0 {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				for _, w := range tt.wantErr {
					assert.Contains(t, err.Error(), w)
				}
			}
			if tt.check != nil {
				tt.check(t, answer, err)
			}
			// The backup domain is unaffected by the primary's fault.
			answer, err = s.client.Exchange(context.Background(), signaling.BackupDomain, "sess-2", "v=0 offer")
			require.NoError(t, err)
			assert.Equal(t, answerSDP, answer)
		})
	}
}

func TestFaultChangesLive(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := startService(t, nil)
	ctx := context.Background()
	_, err := s.client.Exchange(ctx, signaling.PrimaryDomain, "a", "offer")
	require.NoError(t, err)
	require.NoError(t, s.primary.SetFault(signaling.Fault{Mode: signaling.ModeRefusedSDP}))
	_, err = s.client.Exchange(ctx, signaling.PrimaryDomain, "b", "offer")
	require.Error(t, err)
	require.NoError(t, s.primary.SetFault(signaling.Fault{Mode: signaling.ModeNone}))
	_, err = s.client.Exchange(ctx, signaling.PrimaryDomain, "c", "offer")
	require.NoError(t, err)
	st := s.primary.Stats()
	assert.Equal(t, uint64(3), st.Offers)
	assert.Equal(t, uint64(2), st.Answers)
	assert.Equal(t, uint64(1), st.Errors)
	// The handler saw the session and the offer of each answered exchange.
	assert.Equal(t, "a|offer", <-s.offers)
	assert.Equal(t, "c|offer", <-s.offers)
}

func TestHandlerErrorIsServiceUnavailable(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := startService(t, errors.New("media server primary unreachable"))
	_, err := s.client.Exchange(context.Background(), signaling.PrimaryDomain, "a", "offer")
	var r *signaling.RefusedError
	require.True(t, errors.As(err, &r), "got %v", err)
	assert.Equal(t, 503, r.Code)
	assert.Contains(t, r.Reason, "media server primary unreachable")
}

func TestUnknownDomain(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := startService(t, nil)
	_, err := s.client.Exchange(context.Background(), "signal.nowhere.rtcdrill.test", "a", "offer")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no such host")
}

func TestFaultValidate(t *testing.T) {
	tests := []struct {
		f    signaling.Fault
		want string
	}{
		{f: signaling.Fault{Mode: signaling.ModeSlow}, want: "needs a positive delay"},
		{f: signaling.Fault{Mode: signaling.ModeReset, Delay: time.Second}, want: "only mode slow takes a delay"},
		{f: signaling.Fault{Mode: "teleport"}, want: "unknown fault mode"},
		{f: signaling.Fault{Mode: signaling.ModeSlow, Delay: time.Second}},
		{f: signaling.Fault{}},
	}
	for _, tt := range tests {
		t.Run(string(tt.f.Mode)+tt.want, func(t *testing.T) {
			err := tt.f.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, strings.Contains(err.Error(), tt.want), err.Error())
		})
	}
}
