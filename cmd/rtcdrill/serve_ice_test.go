package main

import (
	"bytes"
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseICEAddresses(t *testing.T) {
	tests := []struct {
		name    string
		list    string
		want    []netip.Addr
		wantErr string
	}{
		{name: "empty", list: ""},
		{name: "one", list: "192.0.2.10", want: []netip.Addr{netip.MustParseAddr("192.0.2.10")}},
		{name: "two with spaces", list: " 192.0.2.10 , 2001:db8::7 ,",
			want: []netip.Addr{netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("2001:db8::7")}},
		{name: "a name", list: "192.0.2.10,media.example", wantErr: `item 2 "media.example": not an IP address`},
		{name: "unspecified", list: "0.0.0.0", wantErr: `item 1 "0.0.0.0": need a specific address`},
		{name: "multicast", list: "224.0.0.1", wantErr: "need a specific address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseICEAddresses(tt.list)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestServeRejectsBadICEAddress(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := serveCmd(context.Background(), []string{"--data", t.TempDir(), "--ice-ip", "10.0.0.1,nope"}, &stdout, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), `--ice-ip (or RTCDRILL_ICE_IP): item 2 "nope": not an IP address`)
	assert.Empty(t, stdout.String(), "nothing started")
}
