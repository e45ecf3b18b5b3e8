package capture_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/capture"
)

// tsharkStream is one row of tshark's "rtp,streams" table.
type tsharkStream struct {
	srcPort, dstPort int
	ssrc             uint32
	packets, lost    int
}

// streamRow matches a row: src addr, port, dst addr, port, SSRC, payload,
// packets, lost and its percentage.
var streamRow = regexp.MustCompile(`\S+\s+(\d+)\s+\S+\s+(\d+)\s+0x([0-9A-Fa-f]+)\s+\S+\s+(\d+)\s+(-?\d+)\s+\(`)

// tsharkRTPStreams writes packets to a pcap and asks Debian's tshark for the
// RTP streams it finds, decoding both synthetic ports as RTP. CI installs
// tshark and sets CI=true; there a missing tshark fails the test.
func tsharkRTPStreams(tb testing.TB, packets []capture.Packet) []tsharkStream {
	tb.Helper()
	bin, err := exec.LookPath("tshark")
	if err != nil {
		// Failing, not skipping: a machine without tshark would otherwise
		// pass without the check (apt-get install tshark, as .ci/run does).
		tb.Fatalf("tshark is needed (apt-get install tshark): %v", err)
	}
	path := filepath.Join(tb.TempDir(), "call.pcap")
	f, err := os.Create(path)
	require.NoError(tb, err)
	require.NoError(tb, capture.WritePCAP(f, packets))
	require.NoError(tb, f.Close())

	cmd := exec.Command(bin, "-r", path,
		"-d", "udp.port=="+strconv.Itoa(int(capture.ClientPort))+",rtp",
		"-d", "udp.port=="+strconv.Itoa(int(capture.ServerPort))+",rtp",
		"-q", "-z", "rtp,streams")
	cmd.Env = append(os.Environ(), "HOME="+tb.TempDir()) // no user profile
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(tb, err, "tshark: %s", stderr.String())
	var rows []tsharkStream
	for _, m := range streamRow.FindAllStringSubmatch(string(out), -1) {
		ssrc, err := strconv.ParseUint(m[3], 16, 32)
		require.NoError(tb, err)
		atoi := func(s string) int {
			n, err := strconv.Atoi(s)
			require.NoError(tb, err)
			return n
		}
		rows = append(rows, tsharkStream{atoi(m[1]), atoi(m[2]), uint32(ssrc), atoi(m[4]), atoi(m[5])})
	}
	require.NotEmpty(tb, rows, "tshark found no RTP stream in:\n%s", out)
	return rows
}

// byStream indexes rows by SSRC and flow.
func byStream(rows []tsharkStream) map[[3]uint32]tsharkStream {
	out := map[[3]uint32]tsharkStream{}
	for _, r := range rows {
		out[[3]uint32{r.ssrc, uint32(r.srcPort), uint32(r.dstPort)}] = r
	}
	return out
}

// sameAsTshark checks that tshark sees exactly the streams Analyze sees,
// with the same packet and loss counts.
func sameAsTshark(tb testing.TB, packets []capture.Packet) []capture.StreamStats {
	tb.Helper()
	rows := byStream(tsharkRTPStreams(tb, packets))
	ours := capture.Analyze(packets)
	assert.Len(tb, rows, len(ours), "streams")
	for _, s := range ours {
		r, ok := rows[[3]uint32{s.SSRC, uint32(s.SrcPort), uint32(s.DstPort)}]
		if assert.True(tb, ok, "tshark lacks SSRC %#x", s.SSRC) {
			assert.Equal(tb, s.Packets, r.packets, "packets of %#x", s.SSRC)
			assert.Equal(tb, s.Lost, r.lost, "lost of %#x", s.SSRC)
		}
	}
	return ours
}

func TestPCAPOpensInTshark(t *testing.T) {
	video := without(regular(300, 100, 10*time.Millisecond, 90000, 0x1111, 96), 10, 20, 30, 200, 201)
	audio := regular(100, 5, 20*time.Millisecond, 48000, 0x2222, 111)
	for _, tc := range []struct {
		name     string
		streams  [][]arrival
		wantLost map[uint32]int
	}{
		{"one clean stream", [][]arrival{audio}, map[uint32]int{0x2222: 0}},
		{"video with loss and audio", [][]arrival{video, audio}, map[uint32]int{0x1111: 5, 0x2222: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			_, ci := newCapture(t, clock)
			// RTCP in both directions on the same ports, as with rtcp-mux.
			w := ci.BindRTCPWriter(interceptor.RTCPWriterFunc(func(p []rtcp.Packet, _ interceptor.Attributes) (int, error) {
				return len(p), nil
			}))
			for _, s := range tc.streams {
				_, err := w.Write([]rtcp.Packet{&rtcp.ReceiverReport{SSRC: 9, Reports: []rtcp.ReceptionReport{{SSRC: s[0].ssrc}}}}, nil)
				require.NoError(t, err)
				receive(t, clock, ci, map[uint8]uint32{96: 90000, 111: 48000}[s[0].pt], 160, s)
			}
			got := sameAsTshark(t, ci.Packets())
			for _, s := range got {
				assert.Equal(t, tc.wantLost[s.SSRC], s.Lost, "lost of %#x", s.SSRC)
			}
		})
	}
}

func TestPCAPHeaders(t *testing.T) {
	clock := newFakeClock()
	_, ci := newCapture(t, clock)
	receive(t, clock, ci, 8000, 20, regular(2, 1, 20*time.Millisecond, 8000, 5, 0))
	var buf bytes.Buffer
	require.NoError(t, capture.WritePCAP(&buf, ci.Packets()))
	r, err := pcapgo.NewReader(&buf)
	require.NoError(t, err)
	assert.Equal(t, layers.LinkTypeEthernet, r.LinkType())
	var times []time.Time
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		times = append(times, ci.Timestamp)
		pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		ip, ok := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		require.True(t, ok)
		assert.Equal(t, "127.0.0.1", ip.SrcIP.String())
		assert.Equal(t, "127.0.0.1", ip.DstIP.String())
		udp, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
		require.True(t, ok)
		assert.Equal(t, layers.UDPPort(capture.ServerPort), udp.SrcPort)
		assert.Equal(t, layers.UDPPort(capture.ClientPort), udp.DstPort)
		assert.Len(t, udp.Payload, 12+20, "RTP header and payload, whole")
	}
	require.Len(t, times, 2)
	assert.Equal(t, 20*time.Millisecond, times[1].Sub(times[0]))
}
