// Package relay runs the TURN server a customer behind a UDP-blocking
// firewall is relayed through: one pion/turn server on loopback that listens
// over UDP, TCP and TLS (with a self-signed certificate made at start), and
// whose relay sockets pass every datagram through a delay line, so that the
// extra round trip of a relayed call shows in its RTT as it would across a
// real TURN server (on loopback the relay itself adds only ~0.1 ms).
//
// webrtc v4 has no setting for the CA that ICE trusts for TURN over TLS, so
// Dialer returns a proxy dialer for SettingEngine.SetICEProxyDialer that does
// the TLS handshake itself with the server's own certificate pool: ice then
// uses it for every turn: and turns: URL with transport=tcp.
package relay

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v4"
	"github.com/pion/webrtc/v4"
)

// Transport is how a client reaches the TURN server.
type Transport string

// The transports the server listens on.
const (
	UDP Transport = "udp"
	TCP Transport = "tcp"
	TLS Transport = "tls"
)

// ParseTransport checks a transport name.
func ParseTransport(s string) (Transport, error) {
	switch t := Transport(s); t {
	case UDP, TCP, TLS:
		return t, nil
	default:
		return "", fmt.Errorf("relay: transport %q: want udp, tcp or tls", s)
	}
}

// readerExitLimit bounds how long Close waits for pion/turn's allocation
// goroutines to see their relay sockets closed.
const readerExitLimit = 5 * time.Second

// ServerName is the name in the server's certificate.
const ServerName = "turn.rtcdrill.test"

// realm is the TURN realm of the long-term credentials.
const realm = "rtcdrill.test"

// Server is a running TURN server. New starts it; Close stops it and waits
// for the relay sockets' goroutines.
type Server struct {
	delay         time.Duration
	now           func() time.Time
	user, pass    string
	loggerFactory logging.LoggerFactory

	turn     *turn.Server
	udp      net.PacketConn
	tcp, tls *trackingListener
	pool     *x509.CertPool
	tlsCert  tls.Certificate

	mu      sync.Mutex
	relays  map[*delayConn]struct{}
	relayed relayCounts
	closed  bool

	closeOnce sync.Once
	closeErr  error
}

// relayCounts are the datagrams that crossed relay sockets.
type relayCounts struct{ toPeer, fromPeer uint64 }

// Option configures a Server.
type Option func(*Server) error

// WithDelay sets the one-way delay each relay socket adds in each direction
// (default 0). A delay D adds about 2D to the relayed call's RTT.
func WithDelay(d time.Duration) Option {
	return func(s *Server) error {
		if d < 0 || d > 5*time.Second {
			return fmt.Errorf("relay delay %v out of range [0,5s]", d)
		}
		s.delay = d
		return nil
	}
}

// WithCredentials sets the long-term credentials clients must present.
func WithCredentials(user, pass string) Option {
	return func(s *Server) error {
		if user == "" || pass == "" {
			return errors.New("empty TURN user or password")
		}
		s.user, s.pass = user, pass
		return nil
	}
}

// WithNow injects the clock of the delay line.
func WithNow(now func() time.Time) Option {
	return func(s *Server) error {
		if now == nil {
			return errors.New("nil now func")
		}
		s.now = now
		return nil
	}
}

// WithLoggerFactory routes the TURN server's log.
func WithLoggerFactory(f logging.LoggerFactory) Option {
	return func(s *Server) error { s.loggerFactory = f; return nil }
}

// New starts a TURN server on 127.0.0.1 (UDP, TCP and TLS on ephemeral ports).
func New(opts ...Option) (*Server, error) {
	// pion/turn logs every client that leaves without a TLS close_notify;
	// the relay is quiet unless a logger is given.
	quiet := &logging.DefaultLoggerFactory{Writer: io.Discard, DefaultLogLevel: logging.LogLevelDisabled}
	s := &Server{now: time.Now, user: "rtcdrill", pass: "relay-secret", relays: map[*delayConn]struct{}{}, loggerFactory: quiet}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, fmt.Errorf("relay: option: %w", err)
		}
	}
	if err := s.listen(); err != nil {
		s.closeListeners()
		return nil, fmt.Errorf("relay: %w", err)
	}
	gen := &generator{s: s}
	key := turn.GenerateAuthKey(s.user, realm, s.pass)
	cfg := turn.ServerConfig{
		Realm:         realm,
		LoggerFactory: s.loggerFactory,
		AuthHandler: func(user, _ string, _ net.Addr) ([]byte, bool) {
			return key, user == s.user
		},
		PacketConnConfigs: []turn.PacketConnConfig{{PacketConn: s.udp, RelayAddressGenerator: gen}},
		ListenerConfigs: []turn.ListenerConfig{
			{Listener: s.tcp, RelayAddressGenerator: gen},
			{Listener: tls.NewListener(s.tls, &tls.Config{Certificates: []tls.Certificate{s.tlsCert}, MinVersion: tls.VersionTLS12}), RelayAddressGenerator: gen},
		},
	}
	var err error
	if s.turn, err = turn.NewServer(cfg); err != nil {
		s.closeListeners()
		return nil, fmt.Errorf("relay: start TURN server: %w", err)
	}
	return s, nil
}

func (s *Server) listen() error {
	var err error
	if s.udp, err = net.ListenPacket("udp4", "127.0.0.1:0"); err != nil {
		return fmt.Errorf("listen udp: %w", err)
	}
	for _, l := range []**trackingListener{&s.tcp, &s.tls} {
		raw, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listen tcp: %w", err)
		}
		*l = newTrackingListener(raw)
	}
	cert, pool, err := selfSigned(s.now())
	if err != nil {
		return err
	}
	s.tlsCert, s.pool = cert, pool
	return nil
}

// Addr is the address the server listens on for t.
func (s *Server) Addr(t Transport) string {
	switch t {
	case UDP:
		return s.udp.LocalAddr().String()
	case TCP:
		return s.tcp.Addr().String()
	default:
		return s.tls.Addr().String()
	}
}

// ICEServer is the entry for webrtc.Configuration.ICEServers that reaches the
// server over t. TLS is a turns: URL over TCP, which ice dials through the
// proxy dialer (Dialer) when one is set.
func (s *Server) ICEServer(t Transport) webrtc.ICEServer {
	host, port, _ := net.SplitHostPort(s.Addr(t))
	hp := net.JoinHostPort(host, port)
	url := "turn:" + hp + "?transport=udp"
	switch t {
	case TCP:
		url = "turn:" + hp + "?transport=tcp"
	case TLS:
		url = "turns:" + hp + "?transport=tcp"
	}
	return webrtc.ICEServer{URLs: []string{url}, Username: s.user, Credential: s.pass}
}

// Allocations is the number of live TURN allocations.
func (s *Server) Allocations() int { return s.turn.AllocationCount() }

// Relayed returns how many datagrams the relay sockets sent to peers and
// received from them so far.
func (s *Server) Relayed() (toPeers, fromPeers uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.relayed.toPeer, s.relayed.fromPeer
}

func (s *Server) count(toPeer bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if toPeer {
		s.relayed.toPeer++
	} else {
		s.relayed.fromPeer++
	}
}

// Close stops the server, closes every client connection and relay socket,
// and waits for the delay lines and for the TURN server's readers of the
// relay sockets. It is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		// The relay sockets are listed before the TURN server closes them:
		// a closed one forgets itself, and its reader is still to wait for.
		s.mu.Lock()
		s.closed = true
		relays := make([]*delayConn, 0, len(s.relays))
		for r := range s.relays {
			relays = append(relays, r)
		}
		s.mu.Unlock()
		var errs []error
		if err := s.turn.Close(); err != nil {
			errs = append(errs, err)
		}
		s.closeListeners()
		for _, r := range relays {
			_ = r.Close()
		}
		for _, r := range relays {
			r.waitReader(readerExitLimit)
		}
		if len(errs) > 0 {
			s.closeErr = fmt.Errorf("relay: close: %w", errors.Join(errs...))
		}
	})
	return s.closeErr
}

// closeListeners also closes the connections the listeners accepted: the
// TURN server's per-connection loops end only when their connection does.
func (s *Server) closeListeners() {
	if s.udp != nil {
		_ = s.udp.Close()
	}
	for _, l := range []*trackingListener{s.tcp, s.tls} {
		if l != nil {
			_ = l.Close()
		}
	}
}

// generator allocates the relay sockets, each behind a delay line.
type generator struct{ s *Server }

func (g *generator) Validate() error { return nil }

func (g *generator) AllocatePacketConn(network string, port int) (net.PacketConn, net.Addr, error) {
	c, err := net.ListenPacket("udp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, nil, fmt.Errorf("relay: allocate %s: %w", network, err)
	}
	d := newDelayConn(c, g.s)
	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	if g.s.closed {
		_ = d.Close()
		return nil, nil, net.ErrClosed
	}
	g.s.relays[d] = struct{}{}
	return d, c.LocalAddr(), nil
}

func (g *generator) AllocateConn(network string, _ int) (net.Conn, net.Addr, error) {
	return nil, nil, fmt.Errorf("relay: %s relay sockets are not supported", network)
}

func (s *Server) forget(d *delayConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.relays, d)
}
