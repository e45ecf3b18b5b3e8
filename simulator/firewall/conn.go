package firewall

import (
	"net"
	"os"
	"syscall"

	"github.com/pion/transport/v5"
)

// errUnreachable is what a dial to a host that has gone dark returns, with
// the kernel's own text ("connect: no route to host").
var errUnreachable = os.NewSyscallError("connect", syscall.EHOSTUNREACH)

// udpConn drops datagrams while the rules block UDP. It embeds the
// transport.UDPConn interface, not *net.UDPConn: ice takes allocation-free
// fast paths (ReadFromAddrPort) on a concrete *net.UDPConn, which would go
// around the filter.
type udpConn struct {
	transport.UDPConn
	fw *Net
}

func (c *udpConn) Read(b []byte) (int, error) {
	for {
		n, err := c.UDPConn.Read(b)
		if err != nil || !c.fw.drop(false) {
			return n, err
		}
	}
}

func (c *udpConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.UDPConn.ReadFrom(b)
		if err != nil || !c.fw.drop(false) {
			return n, addr, err
		}
	}
}

func (c *udpConn) ReadFromUDP(b []byte) (int, *net.UDPAddr, error) {
	for {
		n, addr, err := c.UDPConn.ReadFromUDP(b)
		if err != nil || !c.fw.drop(false) {
			return n, addr, err
		}
	}
}

func (c *udpConn) ReadMsgUDP(b, oob []byte) (int, int, int, *net.UDPAddr, error) {
	for {
		n, oobn, flags, addr, err := c.UDPConn.ReadMsgUDP(b, oob)
		if err != nil || !c.fw.drop(false) {
			return n, oobn, flags, addr, err
		}
	}
}

// The writes report success when they drop: a firewall does not tell the
// sender, which is why ICE has to time out.

func (c *udpConn) Write(b []byte) (int, error) {
	if c.fw.drop(true) {
		return len(b), nil
	}
	return c.UDPConn.Write(b)
}

func (c *udpConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if c.fw.drop(true) {
		return len(b), nil
	}
	return c.UDPConn.WriteTo(b, addr)
}

func (c *udpConn) WriteToUDP(b []byte, addr *net.UDPAddr) (int, error) {
	if c.fw.drop(true) {
		return len(b), nil
	}
	return c.UDPConn.WriteToUDP(b, addr)
}

func (c *udpConn) WriteMsgUDP(b, oob []byte, addr *net.UDPAddr) (int, int, error) {
	if c.fw.drop(true) {
		return len(b), len(oob), nil
	}
	return c.UDPConn.WriteMsgUDP(b, oob, addr)
}

// packetConn is the same filter for sockets opened with ListenPacket.
type packetConn struct {
	net.PacketConn
	fw *Net
}

func (c *packetConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.PacketConn.ReadFrom(b)
		if err != nil || !c.fw.drop(false) {
			return n, addr, err
		}
	}
}

func (c *packetConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if c.fw.drop(true) {
		return len(b), nil
	}
	return c.PacketConn.WriteTo(b, addr)
}
