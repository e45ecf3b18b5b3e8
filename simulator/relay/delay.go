package relay

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// queueLen bounds each direction of a delay line; beyond it datagrams are
// dropped, as a full router queue drops them.
const queueLen = 2048

type datagram struct {
	b    []byte
	addr net.Addr
	at   time.Time
}

// delayConn is a relay socket behind an ordered delay line: every datagram
// is held for the same delay in each direction, in order, so the relay adds
// a fixed RTT without reordering or jitter. One goroutine writes the held
// outbound datagrams and one reads inbound ones ahead of the TURN server.
type delayConn struct {
	net.PacketConn
	s *Server

	out, in chan datagram
	done    chan struct{}
	readErr error // set before in is closed

	// reading is set once the TURN server's reader has called ReadFrom;
	// readerDone closes when a ReadFrom returned an error, after which
	// that reader (pion/turn's per-allocation goroutine) ends.
	reading    atomic.Bool
	readerDone chan struct{}
	readerOnce sync.Once

	closeOnce sync.Once
	wg        sync.WaitGroup
}

func newDelayConn(c net.PacketConn, s *Server) *delayConn {
	d := &delayConn{PacketConn: c, s: s, out: make(chan datagram, queueLen),
		in: make(chan datagram, queueLen), done: make(chan struct{}), readerDone: make(chan struct{})}
	d.wg.Add(2)
	go d.writeLoop()
	go d.readLoop()
	return d
}

// wait sleeps until at, or returns false if the conn closes first.
func (d *delayConn) wait(at time.Time) bool {
	w := at.Sub(d.s.now())
	if w <= 0 {
		return true
	}
	t := time.NewTimer(w)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-d.done:
		return false
	}
}

func (d *delayConn) writeLoop() {
	defer d.wg.Done()
	for {
		select {
		case <-d.done:
			return
		case g := <-d.out:
			if !d.wait(g.at) {
				return
			}
			if _, err := d.PacketConn.WriteTo(g.b, g.addr); err == nil {
				d.s.count(true)
			}
		}
	}
}

func (d *delayConn) readLoop() {
	defer d.wg.Done()
	defer close(d.in)
	buf := make([]byte, 1600)
	for {
		n, addr, err := d.PacketConn.ReadFrom(buf)
		if err != nil {
			d.readErr = err
			return
		}
		d.s.count(false)
		g := datagram{b: append([]byte(nil), buf[:n]...), addr: addr, at: d.s.now().Add(d.s.delay)}
		select {
		case d.in <- g:
		case <-d.done:
			return
		default: // queue full: dropped
		}
	}
}

// WriteTo holds the datagram for the delay and reports it sent.
func (d *delayConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	g := datagram{b: append([]byte(nil), b...), addr: addr, at: d.s.now().Add(d.s.delay)}
	select {
	case <-d.done:
		return 0, net.ErrClosed
	default:
	}
	select {
	case d.out <- g:
	default: // queue full: dropped
	}
	return len(b), nil
}

// ReadFrom returns the next inbound datagram once its delay has passed.
func (d *delayConn) ReadFrom(b []byte) (int, net.Addr, error) {
	d.reading.Store(true)
	g, ok := <-d.in
	if !ok {
		d.readerEnded()
		return 0, nil, d.readErr
	}
	if !d.wait(g.at) {
		d.readerEnded()
		return 0, nil, net.ErrClosed
	}
	return copy(b, g.b), g.addr, nil
}

func (d *delayConn) readerEnded() { d.readerOnce.Do(func() { close(d.readerDone) }) }

// waitReader waits, up to limit, until a reader that started has seen the
// socket closed: pion/turn does not wait for its allocation goroutines, and
// one still relaying a datagram when the server closed would outlive it.
func (d *delayConn) waitReader(limit time.Duration) {
	if !d.reading.Load() {
		return
	}
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-d.readerDone:
	case <-t.C:
	}
}

// Close closes the socket and waits for both loops. It is idempotent.
func (d *delayConn) Close() error {
	var err error
	d.closeOnce.Do(func() {
		close(d.done)
		err = d.PacketConn.Close()
		d.wg.Wait()
		d.s.forget(d)
	})
	return err
}
