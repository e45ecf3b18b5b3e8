// Package firewall gives a Pion peer a network that misbehaves the way a
// customer's network does: a corporate firewall that silently drops every UDP
// datagram while TCP passes, or a host that has gone dark (a crashed media
// server) and drops everything.
//
// A Net wraps the standard network (pion/transport's stdnet) and is handed to
// webrtc.SettingEngine.SetNet. It filters in both directions at the socket,
// below ICE, so ICE connectivity checks, TURN over UDP, DTLS and SRTP all meet
// the same wall: ICE really fails, and a TURN relay over TCP or TLS really
// gets through.
//
// Why not pion/transport's vnet: it has no TCP (DialTCP and ListenTCP return
// ErrNotSupported), so TURN over TCP/TLS, the usual way around such a
// firewall, could not be shown with it.
package firewall

import (
	"fmt"
	"net"
	"sync"

	"github.com/pion/transport/v5"
	"github.com/pion/transport/v5/stdnet"
)

// Rules is what a Net lets through. The zero Rules block nothing.
type Rules struct {
	// BlockUDP silently drops every UDP datagram, sent or received, as a
	// corporate firewall that allows only web traffic does.
	BlockUDP bool
	// Down drops every UDP datagram and refuses new TCP connections: the
	// host is unreachable.
	Down bool
}

// blocksUDP reports whether a datagram is dropped under r.
func (r Rules) blocksUDP() bool { return r.BlockUDP || r.Down }

// Stats counts what a Net dropped.
type Stats struct {
	// DroppedOut and DroppedIn count UDP datagrams dropped on send and on
	// receipt.
	DroppedOut, DroppedIn uint64
	// RefusedTCP counts TCP dials refused while Down.
	RefusedTCP uint64
}

// Net is a transport.Net whose rules can change while connections are open:
// every datagram is checked against the rules in force when it passes, an
// outbound one when written and an inbound one when read (Pion reads its
// sockets continuously, so that is when it arrives).
type Net struct {
	transport.Net

	mu    sync.Mutex
	rules Rules
	stats Stats
}

var _ transport.Net = (*Net)(nil)

// Option configures a Net.
type Option func(*Net) error

// WithRules sets the starting rules.
func WithRules(r Rules) Option {
	return func(n *Net) error { n.rules = r; return nil }
}

// WithBase replaces the underlying network (default stdnet), for tests.
func WithBase(base transport.Net) Option {
	return func(n *Net) error {
		if base == nil {
			return fmt.Errorf("firewall: nil base network")
		}
		n.Net = base
		return nil
	}
}

// New returns a Net over the host's network.
func New(opts ...Option) (*Net, error) {
	n := &Net{}
	for _, o := range opts {
		if err := o(n); err != nil {
			return nil, fmt.Errorf("firewall: option: %w", err)
		}
	}
	if n.Net == nil {
		base, err := stdnet.NewNet()
		if err != nil {
			return nil, fmt.Errorf("firewall: standard network: %w", err)
		}
		n.Net = base
	}
	return n, nil
}

// SetRules changes the rules; open sockets follow from their next datagram.
func (n *Net) SetRules(r Rules) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.rules = r
}

// Rules returns the rules in force.
func (n *Net) Rules() Rules {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.rules
}

// Stats returns what the Net dropped so far.
func (n *Net) Stats() Stats {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.stats
}

// drop reports whether a datagram is dropped now, and counts it if so.
func (n *Net) drop(out bool) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.rules.blocksUDP() {
		return false
	}
	if out {
		n.stats.DroppedOut++
	} else {
		n.stats.DroppedIn++
	}
	return true
}

// refuseTCP reports whether a TCP dial is refused now, and counts it if so.
func (n *Net) refuseTCP() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.rules.Down {
		n.stats.RefusedTCP++
		return true
	}
	return false
}

// ListenUDP opens a UDP socket that obeys the rules.
func (n *Net) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	c, err := n.Net.ListenUDP(network, laddr)
	if err != nil {
		return nil, err
	}
	return &udpConn{UDPConn: c, fw: n}, nil
}

// DialUDP opens a connected UDP socket that obeys the rules.
func (n *Net) DialUDP(network string, laddr, raddr *net.UDPAddr) (transport.UDPConn, error) {
	c, err := n.Net.DialUDP(network, laddr, raddr)
	if err != nil {
		return nil, err
	}
	return &udpConn{UDPConn: c, fw: n}, nil
}

// ListenPacket opens a packet socket; UDP ones obey the rules (TURN over UDP
// allocates through it).
func (n *Net) ListenPacket(network, address string) (net.PacketConn, error) {
	c, err := n.Net.ListenPacket(network, address)
	if err != nil {
		return nil, err
	}
	if !isUDP(network) {
		return c, nil
	}
	return &packetConn{PacketConn: c, fw: n}, nil
}

// Dial connects; UDP connections obey the rules and TCP is refused while Down.
func (n *Net) Dial(network, address string) (net.Conn, error) {
	if isUDP(network) {
		raddr, err := n.Net.ResolveUDPAddr(network, address)
		if err != nil {
			return nil, err
		}
		return n.DialUDP(network, nil, raddr)
	}
	if n.refuseTCP() {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errUnreachable}
	}
	return n.Net.Dial(network, address)
}

// DialTCP connects over TCP unless the host is Down.
func (n *Net) DialTCP(network string, laddr, raddr *net.TCPAddr) (transport.TCPConn, error) {
	if n.refuseTCP() {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: errUnreachable}
	}
	return n.Net.DialTCP(network, laddr, raddr)
}

func isUDP(network string) bool {
	return network == "udp" || network == "udp4" || network == "udp6"
}
