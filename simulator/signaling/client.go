package signaling

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// DefaultAttemptTimeout bounds one exchange (dial, offer, answer). Without a
// bound a black-holed server hangs the app forever: http.Client has no
// default timeout.
const DefaultAttemptTimeout = 3 * time.Second

// Directory maps the service's domains to loopback listeners and can take a
// domain down. It is the client's DNS and routing in one. Close releases it.
type Directory struct {
	dead *deadPort // a loopback port nothing listens on: connection refused

	mu    sync.Mutex
	hosts map[string]string
	down  map[string]bool
}

// NewDirectory returns an empty directory.
func NewDirectory() (*Directory, error) {
	dead, err := newDeadPort()
	if err != nil {
		return nil, fmt.Errorf("signaling directory: %w", err)
	}
	return &Directory{dead: dead, hosts: map[string]string{}, down: map[string]bool{}}, nil
}

// Close releases the directory's dead port. It is idempotent.
func (d *Directory) Close() error {
	if err := d.dead.close(); err != nil {
		return fmt.Errorf("signaling directory: %w", err)
	}
	return nil
}

// Set points domain at addr ("127.0.0.1:port").
func (d *Directory) Set(domain, addr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hosts[domain] = addr
}

// SetDown makes connections to domain refused (down) or restores it.
func (d *Directory) SetDown(domain string, down bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.down[domain] = down
}

// Down reports whether domain is down.
func (d *Directory) Down(domain string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.down[domain]
}

// DialContext is http.Transport's DialContext: it resolves the service's
// domains to their listeners and everything else not at all.
func (d *Directory) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	target, ok := d.hosts[host]
	if d.down[host] {
		target, ok = d.dead.addr, true
	}
	d.mu.Unlock()
	if !ok {
		return nil, &net.OpError{Op: "dial", Net: network,
			Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}
	var dl net.Dialer
	return dl.DialContext(ctx, "tcp4", target)
}

// Client is the customer app's signaling client.
type Client struct {
	timeout   time.Duration
	transport *http.Transport
	http      *http.Client
}

// ClientOption configures a Client.
type ClientOption func(*Client) error

// WithAttemptTimeout bounds each exchange (default DefaultAttemptTimeout).
func WithAttemptTimeout(d time.Duration) ClientOption {
	return func(c *Client) error {
		if d <= 0 {
			return errors.New("attempt timeout must be positive")
		}
		c.timeout = d
		return nil
	}
}

// NewClient returns a client that reaches domains through dir.
func NewClient(dir *Directory, opts ...ClientOption) (*Client, error) {
	if dir == nil {
		return nil, errors.New("signaling client: nil directory")
	}
	c := &Client{timeout: DefaultAttemptTimeout}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("signaling client: option: %w", err)
		}
	}
	c.transport = &http.Transport{DialContext: dir.DialContext, DisableKeepAlives: true}
	c.http = &http.Client{Transport: c.transport}
	return c, nil
}

// URL is the WebSocket URL the client dials for domain. The service speaks
// plain ws on loopback; a production app would use wss.
func URL(domain string) string { return "ws://" + domain + Path }

// Exchange sends offerSDP for session to domain and returns the answer SDP.
// One call is one attempt, bounded by the attempt timeout; retrying is the
// caller's policy. Errors keep the WebSocket library's text, which is what
// a real app writes to its log.
func (c *Client) Exchange(ctx context.Context, domain, session, offerSDP string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, URL(domain), &websocket.DialOptions{HTTPClient: c.http})
	if err != nil {
		return "", err
	}
	defer conn.CloseNow()
	if err := wsjson.Write(ctx, conn, Message{Type: TypeOffer, Session: session, SDP: offerSDP}); err != nil {
		return "", err
	}
	var m Message
	if err := wsjson.Read(ctx, conn, &m); err != nil {
		return "", err
	}
	_ = conn.Close(websocket.StatusNormalClosure, "")
	switch m.Type {
	case TypeAnswer:
		return m.SDP, nil
	case TypeError:
		return "", &RefusedError{Domain: domain, Code: m.Code, Reason: m.Reason}
	default:
		return "", fmt.Errorf("signaling server %s: unexpected message type %q", domain, m.Type)
	}
}

// Close releases the client's idle connections.
func (c *Client) Close() {
	c.transport.CloseIdleConnections()
}
