package relay_test

import (
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/pion/turn/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator/relay"
)

// allocate opens a TURN client over t and returns its relayed socket.
func allocate(tb testing.TB, s *relay.Server, t relay.Transport) net.PacketConn {
	tb.Helper()
	ice := s.ICEServer(t)
	var conn net.PacketConn
	if t == relay.UDP {
		c, err := net.ListenPacket("udp4", "127.0.0.1:0")
		require.NoError(tb, err)
		conn = c
	} else {
		c, err := s.Dialer(nil).Dial("tcp", s.Addr(t))
		require.NoError(tb, err)
		conn = turn.NewSTUNConn(c)
	}
	client, err := turn.NewClient(&turn.ClientConfig{
		STUNServerAddr: s.Addr(t), TURNServerAddr: s.Addr(t), Conn: conn,
		Username: ice.Username, Password: ice.Credential.(string),
	})
	require.NoError(tb, err)
	require.NoError(tb, client.Listen())
	rc, err := client.Allocate()
	require.NoError(tb, err)
	tb.Cleanup(func() {
		_ = rc.Close()
		client.Close()
		_ = conn.Close()
	})
	return rc
}

func TestRelayEachTransport(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	for _, tr := range []relay.Transport{relay.UDP, relay.TCP, relay.TLS} {
		t.Run(string(tr), func(t *testing.T) {
			s, err := relay.New(relay.WithDelay(5 * time.Millisecond))
			require.NoError(t, err)
			t.Cleanup(func() {
				require.NoError(t, s.Close())
				require.NoError(t, s.Close(), "Close is idempotent")
			})
			rc := allocate(t, s, tr)
			assert.Equal(t, 1, s.Allocations())

			peer, err := net.ListenPacket("udp4", "127.0.0.1:0")
			require.NoError(t, err)
			defer peer.Close()
			require.NoError(t, peer.SetDeadline(time.Now().Add(30*time.Second)))
			require.NoError(t, rc.SetDeadline(time.Now().Add(30*time.Second)))

			_, err = rc.WriteTo([]byte("to peer"), peer.LocalAddr())
			require.NoError(t, err)
			buf := make([]byte, 64)
			n, from, err := peer.ReadFrom(buf)
			require.NoError(t, err)
			assert.Equal(t, "to peer", string(buf[:n]))
			assert.Equal(t, rc.LocalAddr().String(), from.String(), "the peer sees the relayed address")

			_, err = peer.WriteTo([]byte("to client"), from)
			require.NoError(t, err)
			n, _, err = rc.ReadFrom(buf)
			require.NoError(t, err)
			assert.Equal(t, "to client", string(buf[:n]))

			to, back := s.Relayed()
			assert.Equal(t, uint64(1), to)
			assert.Equal(t, uint64(1), back)
		})
	}
}

func TestTLSNeedsTheServersPool(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s, err := relay.New()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	// What ice does on its own: the system roots, which do not know the
	// self-signed certificate.
	_, err = tls.Dial("tcp", s.Addr(relay.TLS), &tls.Config{ServerName: relay.ServerName, MinVersion: tls.VersionTLS12})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate signed by unknown authority")
	c, err := s.Dialer(nil).Dial("tcp", s.Addr(relay.TLS))
	require.NoError(t, err)
	require.NoError(t, c.Close())
}

func TestICEServerURLs(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s, err := relay.New()
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	tests := []struct {
		t    relay.Transport
		want string
	}{
		{relay.UDP, "turn:" + s.Addr(relay.UDP) + "?transport=udp"},
		{relay.TCP, "turn:" + s.Addr(relay.TCP) + "?transport=tcp"},
		{relay.TLS, "turns:" + s.Addr(relay.TLS) + "?transport=tcp"},
	}
	for _, tt := range tests {
		t.Run(string(tt.t), func(t *testing.T) {
			assert.Equal(t, []string{tt.want}, s.ICEServer(tt.t).URLs)
		})
	}
	_, err = relay.ParseTransport("sctp")
	assert.Error(t, err)
}

func BenchmarkRelayRTT(b *testing.B) {
	const delay = 10 * time.Millisecond
	s, err := relay.New(relay.WithDelay(delay))
	require.NoError(b, err)
	b.Cleanup(func() { _ = s.Close() })
	rc := allocate(b, s, relay.TCP)
	peer, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(b, err)
	defer peer.Close()
	require.NoError(b, rc.SetDeadline(time.Now().Add(time.Minute)))
	buf := make([]byte, 64)
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		// Payloads of 4 bytes or fewer get lost in pion/turn's TCP framing;
		// media packets are far larger.
		_, _ = rc.WriteTo([]byte("ping, as long as a STUN header"), peer.LocalAddr())
		_, from, err := peer.ReadFrom(buf)
		require.NoError(b, err)
		_, _ = peer.WriteTo([]byte("pong, as long as a STUN header"), from)
		_, _, err = rc.ReadFrom(buf)
		require.NoError(b, err)
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "rtt-ms")
	b.ReportMetric(float64((2 * delay).Milliseconds()), "configured-ms")
}
