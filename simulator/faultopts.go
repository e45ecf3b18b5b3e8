package simulator

import (
	"errors"
	"fmt"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/relay"
	"github.com/rtcdrill/rtcdrill/simulator/signaling"
)

// The media servers a call can be served by.
const (
	MediaServerPrimary = "primary"
	MediaServerBackup  = "backup"
)

// faultConfig is the part of a call's config outside the media path: how
// the call is set up, and what is broken on the way.
type faultConfig struct {
	signaling         signaling.Fault
	udpBlocked        bool
	down              map[string]bool // media servers that are down
	clientProfile     CodecProfile
	serverProfile     CodecProfile
	relayTransport    relay.Transport
	relayDelay        time.Duration
	relayOnStart      bool
	domain            string
	signalingTimeout  time.Duration
	signalingAttempts int
	signalingBackoff  time.Duration
	iceDisconnected   time.Duration
	iceFailed         time.Duration
	iceKeepalive      time.Duration
	async             bool
}

func defaultFaultConfig() faultConfig {
	client, _ := CodecProfileByName(ProfileAppLatest)
	server, _ := CodecProfileByName(ProfileServerDefault)
	return faultConfig{
		signaling:     signaling.Fault{Mode: signaling.ModeNone},
		down:          map[string]bool{},
		clientProfile: client, serverProfile: server,
		relayTransport: relay.TLS, relayDelay: 15 * time.Millisecond,
		domain:           signaling.PrimaryDomain,
		signalingTimeout: signaling.DefaultAttemptTimeout, signalingAttempts: 3, signalingBackoff: time.Second,
		// Pion's defaults (5 s, 25 s, 2 s) let a blocked call hang for 30 s;
		// these fail it in about 5 s, which is what an app's UI shows.
		// Pion pings the selected pair every keepalive interval, media or
		// not; once a second keeps an idle path (no media, or every media
		// packet lost) under the 2 s disconnected timeout with a second to
		// spare, at half the STUN packets 500 ms cost (4 a second each way at
		// 500 ms were 5 % of an impaired call's packets). Browsers ping
		// a stable pair every 2.5 s.
		iceDisconnected: 2 * time.Second, iceFailed: 3 * time.Second, iceKeepalive: time.Second,
	}
}

// WithSignalingFault sets how signaling misbehaves from the start (see
// Call.SetSignalingFault).
func WithSignalingFault(f signaling.Fault) Option {
	return func(cfg *config) error {
		if err := f.Validate(); err != nil {
			return err
		}
		cfg.faults.signaling = f
		return nil
	}
}

// WithUDPBlocked starts the customer behind a firewall that drops all UDP.
func WithUDPBlocked(blocked bool) Option {
	return func(cfg *config) error {
		cfg.faults.udpBlocked = blocked
		cfg.firewalls = cfg.firewalls || blocked
		return nil
	}
}

// WithMediaServerDown starts with a media server (MediaServerPrimary or
// MediaServerBackup) unreachable.
func WithMediaServerDown(name string) Option {
	return func(cfg *config) error {
		if err := checkServer(name); err != nil {
			return err
		}
		cfg.faults.down[name] = true
		cfg.firewalls = true
		return nil
	}
}

// WithClientProfile sets the video codecs the customer's device offers
// (default app_latest: VP8, H.264).
func WithClientProfile(p CodecProfile) Option {
	return func(cfg *config) error {
		if err := p.Validate(); err != nil {
			return err
		}
		cfg.faults.clientProfile = p
		return nil
	}
}

// WithServerProfile sets the video codecs the media server accepts
// (default server_default: VP8).
func WithServerProfile(p CodecProfile) Option {
	return func(cfg *config) error {
		if err := p.Validate(); err != nil {
			return err
		}
		cfg.faults.serverProfile = p
		return nil
	}
}

// WithRelayTransport sets how the customer reaches the TURN server when
// relayed (default TLS, the one that passes a UDP-blocking firewall).
func WithRelayTransport(t relay.Transport) Option {
	return func(cfg *config) error {
		if _, err := relay.ParseTransport(string(t)); err != nil {
			return err
		}
		cfg.faults.relayTransport = t
		return nil
	}
}

// WithRelayDelay sets the one-way delay the TURN relay adds each way
// (default 15 ms, so a relayed call's RTT is about 30 ms higher).
func WithRelayDelay(d time.Duration) Option {
	return func(cfg *config) error {
		if d < 0 || d > 5*time.Second {
			return fmt.Errorf("relay delay %v out of range [0,5s]", d)
		}
		cfg.faults.relayDelay = d
		return nil
	}
}

// WithRelay starts the call already relayed (relay-only ICE policy).
func WithRelay(on bool) Option {
	return func(cfg *config) error { cfg.faults.relayOnStart = on; return nil }
}

// WithSignalingDomain sets the domain the app signals to first (default
// signaling.PrimaryDomain).
func WithSignalingDomain(domain string) Option {
	return func(cfg *config) error {
		if domain != signaling.PrimaryDomain && domain != signaling.BackupDomain {
			return fmt.Errorf("signaling domain %q: want %s or %s", domain, signaling.PrimaryDomain, signaling.BackupDomain)
		}
		cfg.faults.domain = domain
		return nil
	}
}

// WithSignalingTimeout bounds each signaling attempt (default 3 s).
func WithSignalingTimeout(d time.Duration) Option {
	return func(cfg *config) error {
		if d <= 0 {
			return errors.New("signaling timeout must be positive")
		}
		cfg.faults.signalingTimeout = d
		return nil
	}
}

// WithSignalingAttempts sets how often the app tries to signal before it
// gives up (default 3), and the pause between tries (default 1 s).
func WithSignalingAttempts(n int, backoff time.Duration) Option {
	return func(cfg *config) error {
		if n < 1 || backoff < 0 {
			return fmt.Errorf("signaling attempts %d / backoff %v: want n >= 1, backoff >= 0", n, backoff)
		}
		cfg.faults.signalingAttempts, cfg.faults.signalingBackoff = n, backoff
		return nil
	}
}

// WithICETimeouts sets Pion's ICE disconnected and failed timeouts and its
// keepalive interval on every peer (default 2 s, 3 s, 1 s).
func WithICETimeouts(disconnected, failed, keepalive time.Duration) Option {
	return func(cfg *config) error {
		if disconnected <= 0 || failed <= 0 || keepalive <= 0 {
			return errors.New("ICE timeouts must be positive")
		}
		cfg.faults.iceDisconnected, cfg.faults.iceFailed, cfg.faults.iceKeepalive = disconnected, failed, keepalive
		return nil
	}
}

// WithAsyncSetup makes New return as soon as the call is built, with the
// setup (signaling, negotiation, ICE) running in the background, as an app
// shows "Connecting..." while it works. Without it New waits until the
// first setup connects or fails.
func WithAsyncSetup() Option {
	return func(cfg *config) error { cfg.faults.async = true; return nil }
}

func checkServer(name string) error {
	if name != MediaServerPrimary && name != MediaServerBackup {
		return fmt.Errorf("media server %q: want %s or %s", name, MediaServerPrimary, MediaServerBackup)
	}
	return nil
}
