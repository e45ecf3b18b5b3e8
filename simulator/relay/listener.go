package relay

import (
	"crypto/tls"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/pion/transport/v5"
	"golang.org/x/net/proxy"
)

// trackingListener remembers the connections it accepted so Close can end
// them: pion/turn's Close closes its listeners but not the connections, and
// its per-connection goroutines would outlive the server.
type trackingListener struct {
	net.Listener

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

func newTrackingListener(l net.Listener) *trackingListener {
	return &trackingListener{Listener: l, conns: map[net.Conn]struct{}{}}
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return nil, net.ErrClosed
	}
	l.conns[c] = struct{}{}
	return &trackedConn{Conn: c, l: l}, nil
}

func (l *trackingListener) Close() error {
	err := l.Listener.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for c := range l.conns {
		_ = c.Close()
	}
	clear(l.conns)
	return err
}

type trackedConn struct {
	net.Conn
	l *trackingListener
}

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c.Conn)
	c.l.mu.Unlock()
	return c.Conn.Close()
}

// dialTimeout bounds a dial and TLS handshake to the relay.
const dialTimeout = 5 * time.Second

// Dialer returns the dialer to give SettingEngine.SetICEProxyDialer: it
// connects over base (the customer's network; nil means the host's), and for
// the TLS port it does the handshake trusting the server's own certificate.
func (s *Server) Dialer(base transport.Net) proxy.Dialer {
	return &dialer{s: s, base: base}
}

type dialer struct {
	s    *Server
	base transport.Net
}

func (d *dialer) Dial(network, addr string) (net.Conn, error) {
	var c net.Conn
	var err error
	if d.base != nil {
		c, err = d.base.Dial(network, addr)
	} else {
		c, err = net.DialTimeout(network, addr, dialTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("relay: dial %s: %w", addr, err)
	}
	if addr != d.s.Addr(TLS) {
		return c, nil
	}
	tc := tls.Client(c, &tls.Config{RootCAs: d.s.pool, ServerName: ServerName, MinVersion: tls.VersionTLS12})
	_ = tc.SetDeadline(time.Now().Add(dialTimeout))
	if err := tc.Handshake(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("relay: tls handshake with %s: %w", addr, err)
	}
	_ = tc.SetDeadline(time.Time{})
	return tc, nil
}
