package netpath

import (
	"fmt"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// NetworkType is the customer's access network, as scenarios name it.
type NetworkType string

// The access networks of scenarios (customer.network).
const (
	WiFi     NetworkType = "wifi"
	LTE      NetworkType = "4g"
	NR       NetworkType = "5g"
	Ethernet NetworkType = "ethernet"
)

// NetworkTypes lists every known access network, in a stable order.
func NetworkTypes() []NetworkType { return []NetworkType{Ethernet, WiFi, NR, LTE} }

// Profile is the one-way impairment a healthy access network of type t adds
// between the device and the ISP, the same in both directions. The figures
// are typical of measurements published for home and mobile access in China
// and elsewhere; round-trip figures below are 2 x (Delay + mean jitter):
//
//	ethernet  1 ms, jitter 0.3 ms uniform, no loss: wired LAN and FTTH/GPON
//	          add ~2 ms RTT.
//	wifi      3 ms, jitter 4 ms pareto (mean 2 ms, rare long spikes from
//	          802.11 retries, contention and power save), 0.3 % loss left
//	          after link-layer retries: ~10 ms RTT.
//	5g        8 ms, jitter 3 ms half-normal (mean 2.4 ms), 0.1 % loss:
//	          5G NSA user-plane RTT of ~20 ms.
//	4g        20 ms, jitter 8 ms half-normal (mean 6.4 ms), 0.5 % loss:
//	          LTE RTT to the packet gateway of ~50 ms, 40-60 ms in the field.
//
// An unknown type is an error, not a silent zero.
func Profile(t NetworkType) (impair.Config, error) {
	switch t {
	case Ethernet:
		return impair.Config{Delay: time.Millisecond, Jitter: 300 * time.Microsecond, Distribution: impair.DistUniform}, nil
	case WiFi:
		return impair.Config{Delay: 3 * time.Millisecond, Jitter: 4 * time.Millisecond,
			Distribution: impair.DistPareto, Loss: 0.003}, nil
	case NR:
		return impair.Config{Delay: 8 * time.Millisecond, Jitter: 3 * time.Millisecond,
			Distribution: impair.DistNormal, Loss: 0.001}, nil
	case LTE:
		return impair.Config{Delay: 20 * time.Millisecond, Jitter: 8 * time.Millisecond,
			Distribution: impair.DistNormal, Loss: 0.005}, nil
	default:
		return impair.Config{}, fmt.Errorf("network type %q: %w", t, ErrUnknown)
	}
}

// cellular reports whether the access hop is a mobile network's gateway
// rather than a router the customer owns.
func (t NetworkType) cellular() bool { return t == LTE || t == NR }
