package capture_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/capture"
)

// fakeClock is a settable clock; tests advance it between packets, so
// timestamps and ages are exact whatever the machine's load.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 11, 11, 20, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// arrival is one fake packet: when it is seen and its RTP header fields.
type arrival struct {
	at   time.Duration
	seq  uint16
	ts   uint32
	ssrc uint32
	pt   uint8
}

// newCapture builds a factory on clock and one Interceptor from it.
func newCapture(tb testing.TB, clock *fakeClock, opts ...capture.Option) (*capture.InterceptorFactory, *capture.Interceptor) {
	tb.Helper()
	f, err := capture.NewInterceptor(append([]capture.Option{capture.WithNow(clock.Now)}, opts...)...)
	require.NoError(tb, err)
	i, err := f.NewInterceptor("pc")
	require.NoError(tb, err)
	ci, ok := i.(*capture.Interceptor)
	require.True(tb, ok)
	return f, ci
}

// receive feeds arrivals through BindRemoteStream as Pion's receive path
// would: the inner reader hands out each marshalled packet in turn, and the
// clock is set to the packet's arrival time before it is read.
func receive(tb testing.TB, clock *fakeClock, ci *capture.Interceptor, clockRate uint32, payload int, arrivals []arrival) {
	tb.Helper()
	start := clock.Now()
	var next []byte
	inner := interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		return copy(b, next), a, nil
	})
	reader := ci.BindRemoteStream(&interceptor.StreamInfo{ClockRate: clockRate}, inner)
	buf := make([]byte, 1500)
	for _, a := range arrivals {
		pkt := rtp.Packet{
			Header:  rtp.Header{Version: 2, SSRC: a.ssrc, SequenceNumber: a.seq, Timestamp: a.ts, PayloadType: a.pt},
			Payload: make([]byte, payload),
		}
		var err error
		next, err = pkt.Marshal()
		require.NoError(tb, err)
		clock.Set(start.Add(a.at))
		_, _, err = reader.Read(buf, nil)
		require.NoError(tb, err)
	}
}

// regular is count packets every interval from seq on, the RTP timestamp
// advancing in step at clockRate: a stream with no jitter and no loss.
func regular(count int, seq uint16, interval time.Duration, clockRate uint32, ssrc uint32, pt uint8) []arrival {
	out := make([]arrival, count)
	step := uint32(interval.Seconds() * float64(clockRate))
	for k := range out {
		out[k] = arrival{
			at: time.Duration(k) * interval, seq: seq + uint16(k), ts: 1000 + uint32(k)*step, ssrc: ssrc, pt: pt,
		}
	}
	return out
}

// without drops the arrivals whose index is in drop.
func without(in []arrival, drop ...int) []arrival {
	gone := map[int]bool{}
	for _, d := range drop {
		gone[d] = true
	}
	var out []arrival
	for k, a := range in {
		if !gone[k] {
			out = append(out, a)
		}
	}
	return out
}
