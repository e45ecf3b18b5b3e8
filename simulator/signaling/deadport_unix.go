//go:build unix

package signaling

import (
	"fmt"
	"net"
	"sync"
	"syscall"
)

// deadPort is a loopback TCP port that is bound but never listens: the
// kernel answers every connection with a reset, which the dialer reports as
// "connect: connection refused", exactly what a dead server's host does.
// Holding the bound socket keeps another listener from taking the port.
type deadPort struct {
	addr string

	once sync.Once
	fd   int
	err  error
}

func newDeadPort() (*deadPort, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, fmt.Errorf("dead port: socket: %w", err)
	}
	syscall.CloseOnExec(fd)
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		_ = syscall.Close(fd)
		return nil, fmt.Errorf("dead port: bind: %w", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		_ = syscall.Close(fd)
		return nil, fmt.Errorf("dead port: getsockname: %w", err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		_ = syscall.Close(fd)
		return nil, fmt.Errorf("dead port: unexpected address %T", sa)
	}
	return &deadPort{addr: (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: in4.Port}).String(), fd: fd}, nil
}

func (p *deadPort) close() error {
	p.once.Do(func() { p.err = syscall.Close(p.fd) })
	return p.err
}
