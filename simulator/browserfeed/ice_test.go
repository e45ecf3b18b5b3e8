package browserfeed

import (
	"net"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestICEFilter(t *testing.T) {
	lan := netip.MustParseAddr("192.0.2.10")
	v6 := netip.MustParseAddr("2001:db8::7")
	tests := []struct {
		name  string
		addrs []netip.Addr
		ip    string
		want  bool
	}{
		{name: "loopback by default", ip: "127.0.0.1", want: true},
		{name: "other addresses not by default", ip: "192.0.2.10", want: false},
		{name: "a named address", addrs: []netip.Addr{lan}, ip: "192.0.2.10", want: true},
		{name: "loopback still", addrs: []netip.Addr{lan}, ip: "127.0.0.1", want: true},
		{name: "an address not named", addrs: []netip.Addr{lan}, ip: "192.0.2.11", want: false},
		{name: "IPv4 in its 16-byte form", addrs: []netip.Addr{lan}, ip: "::ffff:192.0.2.10", want: true},
		{name: "IPv6", addrs: []netip.Addr{lan, v6}, ip: "2001:db8::7", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, iceFilter(tt.addrs)(net.ParseIP(tt.ip)))
		})
	}
}

func TestWithICEAddresses(t *testing.T) {
	tests := []struct {
		name    string
		addrs   []netip.Addr
		wantErr string
	}{
		{name: "none"},
		{name: "one", addrs: []netip.Addr{netip.MustParseAddr("192.0.2.10")}},
		{name: "unspecified", addrs: []netip.Addr{netip.MustParseAddr("0.0.0.0")}, wantErr: "need a specific address"},
		{name: "zero value", addrs: []netip.Addr{{}}, wantErr: "need a specific address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaultConfig()
			err := WithICEAddresses(tt.addrs...)(&cfg)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.addrs, cfg.addrs)
		})
	}
}
