package netpath_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/netpath"
)

func TestProfile(t *testing.T) {
	for _, tc := range []struct {
		nt             netpath.NetworkType
		rttLo, rttHi   time.Duration // 2 x mean one-way delay
		lossLo, lossHi float64
	}{
		{netpath.Ethernet, time.Millisecond, 4 * time.Millisecond, 0, 0},
		{netpath.WiFi, 5 * time.Millisecond, 15 * time.Millisecond, 0.001, 0.01},
		{netpath.NR, 10 * time.Millisecond, 30 * time.Millisecond, 0.0005, 0.005},
		{netpath.LTE, 40 * time.Millisecond, 70 * time.Millisecond, 0.002, 0.02},
	} {
		t.Run(string(tc.nt), func(t *testing.T) {
			c, err := netpath.Profile(tc.nt)
			require.NoError(t, err)
			require.NoError(t, c.Validate())
			rtt := 2 * c.MeanDelay()
			assert.GreaterOrEqual(t, rtt, tc.rttLo)
			assert.LessOrEqual(t, rtt, tc.rttHi)
			assert.GreaterOrEqual(t, c.Loss, tc.lossLo)
			assert.LessOrEqual(t, c.Loss, tc.lossHi)
		})
	}
	t.Run("ordered from best to worst", func(t *testing.T) {
		var prev time.Duration
		for _, nt := range netpath.NetworkTypes() {
			c, err := netpath.Profile(nt)
			require.NoError(t, err)
			assert.Greater(t, c.MeanDelay(), prev, "%s", nt)
			prev = c.MeanDelay()
		}
	})
	t.Run("unknown", func(t *testing.T) {
		_, err := netpath.Profile("3g")
		assert.ErrorIs(t, err, netpath.ErrUnknown)
	})
}

func TestEdgeDelay(t *testing.T) {
	for _, tc := range []struct {
		region netpath.Region
		node   netpath.Node
		lo, hi time.Duration
	}{
		{netpath.SouthChina, netpath.Beijing, 35 * time.Millisecond, 45 * time.Millisecond},
		{netpath.SouthChina, netpath.Guangzhou, 5 * time.Millisecond, 10 * time.Millisecond},
		{netpath.SouthChina, netpath.Shenzhen, 5 * time.Millisecond, 10 * time.Millisecond},
		{netpath.NorthChina, netpath.Beijing, 2 * time.Millisecond, 8 * time.Millisecond},
		{netpath.NorthChina, netpath.Guangzhou, 35 * time.Millisecond, 45 * time.Millisecond},
		{netpath.EastChina, netpath.Shanghai, 2 * time.Millisecond, 8 * time.Millisecond},
	} {
		t.Run(string(tc.region)+"/"+string(tc.node), func(t *testing.T) {
			d, err := netpath.EdgeDelay(tc.region, tc.node)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, d, tc.lo)
			assert.LessOrEqual(t, d, tc.hi)
		})
	}
	t.Run("every pair is known", func(t *testing.T) {
		for _, r := range netpath.Regions() {
			for _, n := range netpath.Nodes() {
				d, err := netpath.EdgeDelay(r, n)
				require.NoError(t, err)
				assert.Greater(t, d, time.Duration(0))
				assert.Less(t, d, 50*time.Millisecond)
			}
		}
	})
	for _, tc := range []struct {
		name   string
		region netpath.Region
		node   netpath.Node
	}{{"unknown region", "mars", netpath.Beijing}, {"unknown node", netpath.SouthChina, "lhasa"}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := netpath.EdgeDelay(tc.region, tc.node)
			assert.ErrorIs(t, err, netpath.ErrUnknown)
		})
	}
}

func TestNearestNode(t *testing.T) {
	for _, tc := range []struct {
		region netpath.Region
		want   netpath.Node
	}{
		{netpath.NorthChina, netpath.Beijing},
		{netpath.NortheastChina, netpath.Beijing},
		{netpath.EastChina, netpath.Shanghai},
		{netpath.SouthChina, netpath.Guangzhou},
		{netpath.CentralChina, netpath.Wuhan},
		{netpath.SouthwestChina, netpath.Chengdu},
		{netpath.NorthwestChina, netpath.Chengdu},
	} {
		t.Run(string(tc.region), func(t *testing.T) {
			got, err := netpath.NearestNode(tc.region)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			best, err := netpath.EdgeDelay(tc.region, got)
			require.NoError(t, err)
			for _, n := range netpath.Nodes() {
				d, err := netpath.EdgeDelay(tc.region, n)
				require.NoError(t, err)
				assert.GreaterOrEqual(t, d, best, "%s is nearer", n)
			}
		})
	}
	_, err := netpath.NearestNode("atlantis")
	assert.ErrorIs(t, err, netpath.ErrUnknown)
}

func TestRegionOf(t *testing.T) {
	// The locations of scenarios.d, in both languages, and a few more.
	for _, tc := range []struct {
		location string
		want     netpath.Region
	}{
		{"Shenzhen, Guangdong (South China)", netpath.SouthChina},
		{"广东省深圳市（华南）", netpath.SouthChina},
		{"Dongguan, Guangdong", netpath.SouthChina},
		{"Shenzhen", netpath.SouthChina},
		{"Xuhui, Shanghai", netpath.EastChina},
		{"上海市浦东新区", netpath.EastChina},
		{"Nanjing, Jiangsu", netpath.EastChina},
		{"Hangzhou, Zhejiang", netpath.EastChina},
		{"Xiamen, Fujian", netpath.EastChina},
		{"Chaoyang, Beijing", netpath.NorthChina},
		{"天津市", netpath.NorthChina},
		{"Taiyuan, Shanxi", netpath.NorthChina},
		{"Xi'an, Shaanxi", netpath.NorthwestChina},
		{"Zhengzhou, Henan", netpath.CentralChina},
		{"湖北省武汉市", netpath.CentralChina},
		{"Changsha, Hunan", netpath.CentralChina},
		{"Chengdu, Sichuan", netpath.SouthwestChina},
		{"重庆市渝北区", netpath.SouthwestChina},
		{"Harbin, Heilongjiang", netpath.NortheastChina},
	} {
		t.Run(tc.location, func(t *testing.T) {
			got, err := netpath.RegionOf(tc.location)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	_, err := netpath.RegionOf("Tokyo")
	assert.ErrorIs(t, err, netpath.ErrUnknown)
}

// profileOf is Profile for a type the test knows exists.
func profileOf(tb testing.TB, nt netpath.NetworkType) impair.Config {
	tb.Helper()
	c, err := netpath.Profile(nt)
	require.NoError(tb, err)
	return c
}
