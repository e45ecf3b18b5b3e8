package signaling

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// ServerStats counts what a Server saw.
type ServerStats struct {
	// Requests counts HTTP requests to Path, Offers the offers read,
	// Answers the answers sent and Errors the error replies sent.
	Requests, Offers, Answers, Errors uint64
}

// Server is one signaling server on a loopback port. NewServer listens; Run
// serves until its context ends or Close; Close waits for Run and every
// connection's handler.
type Server struct {
	name    string
	handler Handler
	after   func(time.Duration) <-chan time.Time
	ln      net.Listener
	srv     *http.Server

	ctx    context.Context // ends every handler at Close
	cancel context.CancelFunc

	mu     sync.Mutex
	fault  Fault
	stats  ServerStats
	closed bool

	handlers  sync.WaitGroup
	run       sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// ServerOption configures a Server.
type ServerOption func(*Server) error

// WithFault sets the starting fault.
func WithFault(f Fault) ServerOption {
	return func(s *Server) error {
		if err := f.Validate(); err != nil {
			return err
		}
		s.fault = f
		return nil
	}
}

// WithAfter injects the timer used for slow answers.
func WithAfter(after func(time.Duration) <-chan time.Time) ServerOption {
	return func(s *Server) error {
		if after == nil {
			return errors.New("nil after func")
		}
		s.after = after
		return nil
	}
}

type connKey struct{}

// NewServer listens on 127.0.0.1:0; name labels its errors and log lines.
func NewServer(name string, h Handler, opts ...ServerOption) (*Server, error) {
	if h == nil {
		return nil, fmt.Errorf("signaling server %s: nil handler", name)
	}
	s := &Server{name: name, handler: h, after: time.After, fault: Fault{Mode: ModeNone}}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, fmt.Errorf("signaling server %s: option: %w", name, err)
		}
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("signaling server %s: listen: %w", name, err)
	}
	s.ln = ln
	s.ctx, s.cancel = context.WithCancel(context.Background())
	mux := http.NewServeMux()
	mux.HandleFunc(Path, s.serveHTTP)
	s.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		// The handler needs the raw connection to reset it.
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, c)
		},
	}
	return s, nil
}

// Addr is the server's listening address.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Name is the name the server was created with.
func (s *Server) Name() string { return s.name }

// Run serves until ctx ends or Close is called. It returns nil after either.
func (s *Server) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.run.Add(1)
	s.mu.Unlock()
	defer s.run.Done()
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	defer stop()
	if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("signaling server %s: serve: %w", s.name, err)
	}
	return nil
}

// Close stops the server, ends every connection and waits for Run and the
// handlers. It is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.cancel()
		if err := s.srv.Close(); err != nil {
			s.closeErr = fmt.Errorf("signaling server %s: close: %w", s.name, err)
		}
		_ = s.ln.Close() // Serve may never have run
		s.handlers.Wait()
	})
	// Serve returns as soon as the http.Server closes, so this wait is
	// short; it makes Close the one call that ends everything.
	s.run.Wait()
	return s.closeErr
}

// SetFault changes how the server behaves from the next request on.
func (s *Server) SetFault(f Fault) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("signaling server %s: %w", s.name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
	return nil
}

// Fault returns the fault in force.
func (s *Server) Fault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fault
}

// Stats returns the counts so far.
func (s *Server) Stats() ServerStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Server) count(f func(*ServerStats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}

// enter registers a handler unless the server is closing, so Close never
// races a late Add.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.handlers.Add(1)
	s.stats.Requests++
	return true
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.handlers.Done()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	if s.Fault().Mode == ModeTimeout {
		<-ctx.Done() // the upgrade is never answered
		return
	}
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer conn.CloseNow()
	var m Message
	if err := wsjson.Read(ctx, conn, &m); err != nil {
		return
	}
	if m.Type != TypeOffer || m.SDP == "" {
		s.reply(ctx, conn, Message{Type: TypeError, Code: 400, Reason: "Bad Request: expected an offer with an SDP"})
		return
	}
	s.count(func(st *ServerStats) { st.Offers++ })
	f := s.Fault()
	switch f.Mode {
	case ModeNoAnswer:
		_, _, _ = conn.Read(ctx) // until the client gives up
		return
	case ModeReset:
		if tc, ok := r.Context().Value(connKey{}).(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST, not FIN
		}
		return // the deferred CloseNow closes the socket
	case ModeRefusedSDP:
		s.reply(ctx, conn, Message{Type: TypeError, Session: m.Session, Code: 488,
			Reason: "Not Acceptable Here: offer rejected by media policy"})
		return
	}
	answer, err := s.handler(ctx, m.Session, m.SDP)
	if err != nil {
		s.reply(ctx, conn, Message{Type: TypeError, Session: m.Session, Code: 503,
			Reason: "Service Unavailable: " + err.Error()})
		return
	}
	if f.Mode == ModeSlow {
		select {
		case <-s.after(f.Delay):
		case <-ctx.Done():
			return
		}
	}
	if f.Mode == ModeMalformedSDP {
		answer = mangle(answer)
	}
	s.reply(ctx, conn, Message{Type: TypeAnswer, Session: m.Session, SDP: answer})
}

func (s *Server) reply(ctx context.Context, conn *websocket.Conn, m Message) {
	if err := wsjson.Write(ctx, conn, m); err != nil {
		return
	}
	if m.Type == TypeError {
		s.count(func(st *ServerStats) { st.Errors++ })
	} else {
		s.count(func(st *ServerStats) { st.Answers++ })
	}
	_ = conn.Close(websocket.StatusNormalClosure, "")
}

// mangle escapes the SDP's line breaks a second time, the classic bug of a
// gateway that JSON-encodes an already encoded string: the answer arrives as
// one line with literal "\r\n" in it.
func mangle(sdp string) string {
	return strings.ReplaceAll(sdp, "\r\n", `\r\n`)
}
