package simulator_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
)

func profile(tb testing.TB, name string) simulator.CodecProfile {
	tb.Helper()
	p, err := simulator.CodecProfileByName(name)
	require.NoError(tb, err)
	return p
}

// TestCodecMismatch: a device whose codecs the media server does not take
// fails in Pion's negotiation, with Pion's error and the app's own line in
// the log; network remedies do not help; a client with a common codec
// connects.
func TestCodecMismatch(t *testing.T) {
	h264, err := simulator.NewCodecProfile("h264_server", "h264")
	require.NoError(t, err)
	tests := []struct {
		name          string
		client        string
		server        *simulator.CodecProfile
		wrong         func(*simulator.Call) error
		right         func(*simulator.Call) error
		want          simulator.VideoCodec
		wantAfterFail string
	}{
		{name: "old iOS Safari, VP8 server, update the app", client: simulator.ProfileIOSSafariOld,
			wrong: func(c *simulator.Call) error { return c.UseRelay(remedyCtx(t)) },
			right: func(c *simulator.Call) error {
				return c.UpdateClient(remedyCtx(t), profile(t, simulator.ProfileAppLatest))
			}, want: simulator.VP8},
		{name: "WeChat on PC, VP8 server, switch browser", client: simulator.ProfileWeChatPC,
			wrong: func(c *simulator.Call) error { return c.FailoverServer(remedyCtx(t)) },
			right: func(c *simulator.Call) error {
				return c.SwitchBrowser(remedyCtx(t), profile(t, simulator.ProfilePCChrome))
			}, want: simulator.VP8},
		{name: "VP8-only browser, H.264 server", client: simulator.ProfileServerDefault, server: &h264,
			wrong: func(c *simulator.Call) error { return c.ResetSession(remedyCtx(t)) },
			right: func(c *simulator.Call) error {
				return c.SwitchBrowser(remedyCtx(t), profile(t, simulator.ProfilePCChrome))
			}, want: simulator.H264},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			opts := []simulator.Option{simulator.WithClientProfile(profile(t, tt.client)), simulator.WithSeed(31)}
			if tt.server != nil {
				opts = append(opts, simulator.WithServerProfile(*tt.server))
			}
			c := newFaultCall(t, opts...)
			requireBroken(t, c, 0)
			// Both evidence lines of the codec-mismatch scenario: Pion's
			// error and the app's own.
			requireLog(t, c, `SetRemoteDescription: unable to start track, codec is not supported by remote`,
				`negotiation failed: no common video codec`)
			assert.Equal(t, "negotiation failed: no common video codec", c.Leg().Err)

			require.Error(t, tt.wrong(c))
			requireBroken(t, c, 0)

			require.NoError(t, tt.right(c))
			requireFlowing(t, c)
			assert.Equal(t, tt.want, c.Leg().VideoCodec)
		})
	}
}

// TestOfferOrderPicksTheCodec: a server that takes VP8 and H.264 follows
// the offer's order, so the Android app (H.264 first) gets H.264 and
// Chrome (VP8 first) gets VP8.
func TestOfferOrderPicksTheCodec(t *testing.T) {
	both, err := simulator.NewCodecProfile("vp8_h264_server", "vp8", "h264")
	require.NoError(t, err)
	noLeaks(t)
	c := newFaultCall(t, simulator.WithClientProfile(profile(t, simulator.ProfileAndroid)),
		simulator.WithServerProfile(both), simulator.WithSeed(32))
	requireFlowing(t, c)
	assert.Equal(t, simulator.H264, c.Leg().VideoCodec)
	require.NoError(t, c.SwitchBrowser(remedyCtx(t), profile(t, simulator.ProfilePCChrome)))
	requireFlowing(t, c)
	assert.Equal(t, simulator.VP8, c.Leg().VideoCodec)
}

func TestCodecProfiles(t *testing.T) {
	for _, p := range simulator.CodecProfiles() {
		t.Run(p.Name, func(t *testing.T) {
			assert.NoError(t, p.Validate())
			got, err := simulator.CodecProfileByName(p.Name)
			require.NoError(t, err)
			assert.Equal(t, p, got)
		})
	}
	for _, bad := range [][]string{{}, {"vp8", "vp8"}, {"theora"}} {
		_, err := simulator.NewCodecProfile("bad", bad...)
		assert.Error(t, err, "%v", bad)
	}
	_, err := simulator.CodecProfileByName("netscape")
	assert.Error(t, err)
}
