package simulator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/capture"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// TestCallPCAPInTshark exports a lossy call's capture and reads it back with
// tshark (installed by .ci/run): the RTP streams are listed and the lossy one
// shows lost packets, as the engine's own stream analysis does.
func TestCallPCAPInTshark(t *testing.T) {
	t.Parallel()
	tshark, err := exec.LookPath("tshark")
	require.NoError(t, err, "tshark is needed (apt-get install tshark)")
	c := startCall(t, simulator.WithImpairment(simulator.Downlink, impair.Config{Loss: 0.10}),
		simulator.WithNACK(false), simulator.WithSeed(8), simulator.WithCapture(true))
	waitFor(t, 2*time.Minute, "2000 captured packets", func() bool { return len(c.Captured()) >= 2000 })

	var lost int
	for _, st := range c.StreamAnalysis() {
		if st.Direction == capture.Received {
			lost += st.Lost
		}
	}
	assert.Greater(t, lost, 0, "the analysis sees the downlink loss")

	path := filepath.Join(t.TempDir(), "call.pcap")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, c.WritePCAP(f))
	require.NoError(t, f.Close())
	out, err := exec.Command(tshark, "-r", path, "-d", "udp.port==50000,rtp", "-d", "udp.port==50002,rtp",
		"-q", "-z", "rtp,streams").CombinedOutput()
	require.NoError(t, err, string(out))
	text := string(out)
	assert.Contains(t, text, "RTP Streams")
	// A stream line ends "... SSRC  RTPType-96  852  84 (9.0%) ...".
	lostRE := regexp.MustCompile(`0x[0-9A-F]+\s+RTPType-\d+\s+\d+\s+([1-9]\d*) \(`)
	lossy := lostRE.MatchString(text)
	assert.True(t, lossy, "tshark lists a stream with lost packets:\n%s", text)
}
