package simulator

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

// MediaClock ticks the media of many calls from a few goroutines. Alone,
// each call's media clock is a goroutine woken by its own ticker every 20 ms:
// with hundreds of calls, tens of thousands of timer wake-ups a second. A
// shared MediaClock runs every call's tick in turn from one goroutine per
// shard (GOMAXPROCS shards by default), so a tick costs one wake-up per shard
// instead of one per call. Each call still stamps its media with its own
// clock reading, so the pacing and the capture times are the call's own.
// Close it after the calls it drives.
type MediaClock struct {
	tick   time.Duration
	shards []*clockShard

	mu     sync.Mutex
	next   int // the shard the next call joins
	closed bool
	done   chan struct{}
	wg     sync.WaitGroup
}

type clockShard struct {
	mu    sync.Mutex
	calls []*Call
}

// MediaClockOption configures a MediaClock.
type MediaClockOption func(*MediaClock) error

// WithShards sets how many goroutines share the calls (default GOMAXPROCS):
// each runs its calls' ticks one after another.
func WithShards(n int) MediaClockOption {
	return func(m *MediaClock) error {
		if n < 1 {
			return fmt.Errorf("shards %d: need at least 1", n)
		}
		m.shards = make([]*clockShard, n)
		return nil
	}
}

// NewMediaClock starts a clock that ticks with the audio packetization
// (20 ms), as a call's own does.
func NewMediaClock(opts ...MediaClockOption) (*MediaClock, error) {
	m := &MediaClock{tick: encoder.AudioPacketInterval, done: make(chan struct{})}
	for _, o := range opts {
		if err := o(m); err != nil {
			return nil, fmt.Errorf("simulator: media clock: %w", err)
		}
	}
	if m.shards == nil {
		m.shards = make([]*clockShard, runtime.GOMAXPROCS(0))
	}
	for i := range m.shards {
		m.shards[i] = &clockShard{}
		m.wg.Add(1)
		go m.run(m.shards[i])
	}
	return m, nil
}

// Close stops the clock's goroutines and waits for them. Calls still on it
// stop getting ticks. Close is idempotent.
func (m *MediaClock) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.closed {
		m.closed = true
		close(m.done)
		m.wg.Wait()
	}
	return nil
}

// add puts c on the least recently chosen shard.
func (m *MediaClock) add(c *Call) error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return errors.New("simulator: media clock closed")
	}
	sh := m.shards[m.next]
	m.next = (m.next + 1) % len(m.shards)
	m.mu.Unlock()
	sh.mu.Lock()
	sh.calls = append(sh.calls, c)
	sh.mu.Unlock()
	return nil
}

// remove takes c off its shard; a tick already under way may still reach
// it (Call.stopPump makes that tick do nothing).
func (m *MediaClock) remove(c *Call) {
	for _, sh := range m.shards {
		sh.mu.Lock()
		for i, x := range sh.calls {
			if x == c {
				last := len(sh.calls) - 1
				sh.calls[i] = sh.calls[last]
				sh.calls[last] = nil
				sh.calls = sh.calls[:last]
				sh.mu.Unlock()
				return
			}
		}
		sh.mu.Unlock()
	}
}

func (m *MediaClock) run(sh *clockShard) {
	defer m.wg.Done()
	t := time.NewTicker(m.tick)
	defer t.Stop()
	var calls []*Call
	for {
		select {
		case <-m.done:
			return
		case <-t.C:
		}
		sh.mu.Lock()
		calls = append(calls[:0], sh.calls...)
		sh.mu.Unlock()
		for i, c := range calls {
			c.step()
			calls[i] = nil
		}
	}
}
