package capture

import (
	"fmt"
	"io"
	"net"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// snapLen is the pcap's snapshot length: larger than any datagram recorded,
// so every packet is written whole.
const snapLen = 65535

// WritePCAP writes packets as a classic pcap file (microsecond timestamps,
// Ethernet link type) that Wireshark and tshark open. Each packet gets
// synthetic Ethernet, IPv4 and UDP headers: 127.0.0.1 on both ends, the
// packet's ports, MAC addresses made from the ports. RTP and RTCP share a
// port (rtcp-mux), so tell Wireshark the ports carry RTP ("Decode As", or
// tshark -d udp.port==50000,rtp); its RTP dissector hands RTCP on.
func WritePCAP(w io.Writer, packets []Packet) error {
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(snapLen, layers.LinkTypeEthernet); err != nil {
		return fmt.Errorf("write pcap header: %w", err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	for n, p := range packets {
		ip := &layers.IPv4{
			Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, Flags: layers.IPv4DontFragment,
			Id: uint16(n), SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1),
		}
		udp := &layers.UDP{SrcPort: layers.UDPPort(p.SrcPort), DstPort: layers.UDPPort(p.DstPort)}
		if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
			return fmt.Errorf("pcap packet %d: %w", n, err)
		}
		eth := &layers.Ethernet{SrcMAC: mac(p.SrcPort), DstMAC: mac(p.DstPort), EthernetType: layers.EthernetTypeIPv4}
		if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(p.Data)); err != nil {
			return fmt.Errorf("pcap packet %d: serialize: %w", n, err)
		}
		data := buf.Bytes()
		ci := gopacket.CaptureInfo{Timestamp: p.Time, CaptureLength: len(data), Length: len(data)}
		if err := pw.WritePacket(ci, data); err != nil {
			return fmt.Errorf("pcap packet %d: write: %w", n, err)
		}
	}
	return nil
}

// mac is a locally administered unicast address (02:...) that tells the two
// ends apart in Wireshark's Ethernet columns.
func mac(port uint16) net.HardwareAddr {
	return net.HardwareAddr{0x02, 0x00, 0x00, 0x00, byte(port >> 8), byte(port)}
}
