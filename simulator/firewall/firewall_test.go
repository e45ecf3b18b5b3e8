package firewall_test

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator/firewall"
)

// pair is a filtered socket and a plain one that talks to it.
type pair struct {
	fw       *firewall.Net
	filtered net.PacketConn
	plain    *net.UDPConn
}

func newPair(tb testing.TB, listen func(*firewall.Net) (net.PacketConn, error)) *pair {
	tb.Helper()
	fw, err := firewall.New()
	require.NoError(tb, err)
	f, err := listen(fw)
	require.NoError(tb, err)
	p, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = f.Close(); _ = p.Close() })
	return &pair{fw: fw, filtered: f, plain: p}
}

// readOne reads the next datagram, with a generous deadline that only
// guards against a hang.
func readOne(tb testing.TB, c net.PacketConn) string {
	tb.Helper()
	require.NoError(tb, c.SetReadDeadline(time.Now().Add(30*time.Second)))
	buf := make([]byte, 64)
	n, _, err := c.ReadFrom(buf)
	require.NoError(tb, err)
	return string(buf[:n])
}

func TestRulesBothWays(t *testing.T) {
	defer goleak.VerifyNone(t)
	listeners := map[string]func(*firewall.Net) (net.PacketConn, error){
		"ListenUDP": func(n *firewall.Net) (net.PacketConn, error) {
			return n.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		},
		"ListenPacket": func(n *firewall.Net) (net.PacketConn, error) { return n.ListenPacket("udp4", "127.0.0.1:0") },
	}
	rules := []struct {
		name string
		r    firewall.Rules
	}{{"udp blocked", firewall.Rules{BlockUDP: true}}, {"down", firewall.Rules{Down: true}}}
	for lname, listen := range listeners {
		for _, rule := range rules {
			t.Run(lname+"/"+rule.name, func(t *testing.T) {
				p := newPair(t, listen)
				// Inbound datagrams are judged as they are read, so a reader
				// runs all along, as ice's does.
				got := make(chan string, 16)
				go func() {
					defer close(got)
					buf := make([]byte, 64)
					for {
						n, _, err := p.filtered.ReadFrom(buf)
						if err != nil {
							return
						}
						got <- string(buf[:n])
					}
				}()
				const blocked = 5
				p.fw.SetRules(rule.r)
				for i := 0; i < blocked; i++ {
					_, err := p.plain.WriteTo([]byte("in-blocked"), p.filtered.LocalAddr())
					require.NoError(t, err)
					n, err := p.filtered.WriteTo([]byte("out-blocked"), p.plain.LocalAddr())
					require.NoError(t, err, "a firewall drops silently")
					assert.Equal(t, len("out-blocked"), n)
				}
				require.Eventually(t, func() bool { return p.fw.Stats().DroppedIn == blocked },
					30*time.Second, 5*time.Millisecond, "the reader dropped every blocked datagram")
				p.fw.SetRules(firewall.Rules{})
				_, err := p.plain.WriteTo([]byte("in-open"), p.filtered.LocalAddr())
				require.NoError(t, err)
				assert.Equal(t, "in-open", <-got)
				_, err = p.filtered.WriteTo([]byte("out-open"), p.plain.LocalAddr())
				require.NoError(t, err)
				assert.Equal(t, "out-open", readOne(t, p.plain), "nothing sent while blocked reached the wire")
				require.NoError(t, p.filtered.Close())
				_, open := <-got
				assert.False(t, open)
				st := p.fw.Stats()
				assert.Equal(t, uint64(blocked), st.DroppedIn)
				assert.Equal(t, uint64(blocked), st.DroppedOut)
			})
		}
	}
}

func TestTCP(t *testing.T) {
	defer goleak.VerifyNone(t)
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	raddr := l.Addr().(*net.TCPAddr)
	tests := []struct {
		name    string
		r       firewall.Rules
		refused bool
	}{
		{name: "open", r: firewall.Rules{}},
		{name: "udp blocked lets tcp through", r: firewall.Rules{BlockUDP: true}},
		{name: "down refuses tcp", r: firewall.Rules{Down: true}, refused: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fw, err := firewall.New(firewall.WithRules(tt.r))
			require.NoError(t, err)
			c, err := fw.DialTCP("tcp4", nil, raddr)
			if tt.refused {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "no route to host")
				assert.Equal(t, uint64(1), fw.Stats().RefusedTCP)
				return
			}
			require.NoError(t, err)
			require.NoError(t, c.Close())
			s, err := l.Accept()
			require.NoError(t, err)
			require.NoError(t, s.Close())
		})
	}
}
