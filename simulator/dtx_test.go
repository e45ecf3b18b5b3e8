package simulator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rtcdrill/rtcdrill/simulator"
)

// TestDTXCall runs a call whose talkers pause (the default) beside one
// sending audio without a break: the pauses halve the audio packets both
// ways, and the customer's receiver plays them as comfort noise, counting
// their samples but concealing none.
func TestDTXCall(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dtx := startCall(t, simulator.WithSeed(11))
	continuous := startCall(t, simulator.WithSeed(11), simulator.WithDTX(false))
	const window = 12 * time.Second
	last := func(c *simulator.Call) simulator.Sample {
		ss := samplesBetween(t, c, window, window+2*time.Second)
		require.NotEmpty(t, ss)
		return ss[0]
	}
	sd, sc := last(dtx), last(continuous)
	md, mc := dtx.Measured(), continuous.Measured()
	require.NoError(t, dtx.Close())
	require.NoError(t, continuous.Close())

	t.Logf("audio packets down/up: dtx %d/%d, continuous %d/%d; samples %d vs %d, concealed %d vs %d",
		md.AudioPackets, md.UplinkPackets, mc.AudioPackets, mc.UplinkPackets,
		sd.TotalSamples, sc.TotalSamples, sd.ConcealedSamples, sc.ConcealedSamples)
	// P.59 talkers with libopus' hangover code 46 % of frames and send 1.5
	// DTX updates a second: 49 % of continuous audio's packets.
	for _, p := range []struct {
		name     string
		dtx, all uint64
	}{{"downlink", md.AudioPackets, mc.AudioPackets}, {"uplink", md.UplinkPackets, mc.UplinkPackets}} {
		require.Positive(t, p.all, p.name)
		share := float64(p.dtx) / float64(p.all)
		assert.Greater(t, share, 0.25, "%s: talkspurts are sent", p.name)
		assert.Less(t, share, 0.75, "%s: pauses are not", p.name)
	}
	assert.InEpsilon(t, float64(sc.TotalSamples), float64(sd.TotalSamples), 0.1,
		"playout runs through the pauses")
	// On a clean path only a loaded machine conceals (a media clock that
	// stalls; a quarter of the samples in one run of the whole -race
	// suite), and both calls alike: were the pauses concealed, the DTX call
	// would conceal half its samples more.
	assert.Less(t, float64(sd.ConcealedSamples), float64(sc.ConcealedSamples)+0.15*float64(sd.TotalSamples),
		"comfort noise is not concealment")
}
