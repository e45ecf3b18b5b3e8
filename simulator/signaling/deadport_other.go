//go:build !unix

package signaling

import (
	"fmt"
	"net"
)

// deadPort is a loopback port reserved and freed again: dials to it are
// refused unless another listener happens to take it (only unix systems
// can hold a bound socket that never listens).
type deadPort struct{ addr string }

func newDeadPort() (*deadPort, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("dead port: %w", err)
	}
	p := &deadPort{addr: l.Addr().String()}
	if err := l.Close(); err != nil {
		return nil, fmt.Errorf("dead port: %w", err)
	}
	return p, nil
}

func (p *deadPort) close() error { return nil }
