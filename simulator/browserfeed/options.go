package browserfeed

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"slices"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// Option configures a Feed at New. Options validate their argument and
// return an error rather than panicking, as pion/interceptor's options do.
type Option func(*config) error

// config is what a Feed is built from; New fills the defaults.
type config struct {
	impairment impair.Config
	rendition  string
	language   string
	rng        *rand.Rand
	clock      impair.Clock
	log        *slog.Logger
	// addrs are the host addresses offered as ICE candidates besides
	// loopback: how a browser on another machine reaches the feed.
	addrs []netip.Addr
}

func defaultConfig() config {
	return config{
		rendition: Rendition720p,
		language:  LanguageEN,
		clock:     impair.RealClock{},
		log:       slog.New(slog.DiscardHandler),
	}
}

// WithImpairment sets the network between the media server and the browser
// at the start: the scenario's downlink.
func WithImpairment(c impair.Config) Option {
	return func(cfg *config) error {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("impairment: %w", err)
		}
		cfg.impairment = c
		return nil
	}
}

// WithRendition sets the video rendition the feed starts with (default
// 720p, the engine's default).
func WithRendition(name string) Option {
	return func(cfg *config) error {
		if !slices.Contains(Renditions(), name) {
			return fmt.Errorf("rendition %q: %w", name, ErrUnknown)
		}
		cfg.rendition = name
		return nil
	}
}

// WithLanguage sets the language the customer speaks (default en), which
// should be the trainee's page language.
func WithLanguage(lang string) Option {
	return func(cfg *config) error {
		if !slices.Contains(Languages(), lang) {
			return fmt.Errorf("language %q: %w", lang, ErrUnknown)
		}
		cfg.language = lang
		return nil
	}
}

// WithRand makes the impairment reproducible: the feed's impairment draws
// from a source seeded by r. Without it every feed draws differently.
func WithRand(r *rand.Rand) Option {
	return func(cfg *config) error {
		if r == nil {
			return errors.New("nil rand")
		}
		cfg.rng = r
		return nil
	}
}

// WithClock replaces the wall clock that paces the media and the impairment.
func WithClock(c impair.Clock) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("nil clock")
		}
		cfg.clock = c
		return nil
	}
}

// WithLogger sets where the feed reports its connection's life.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *config) error {
		if l == nil {
			return errors.New("nil logger")
		}
		cfg.log = l
		return nil
	}
}

// WithICEAddresses offers ICE host candidates on these addresses of this
// machine as well as on loopback, so that a trainee's browser on another
// machine can reach the feed (by default only a browser on this machine
// can). Each must be a valid, specified address; IPv6 ones enable UDP over
// IPv6 too.
func WithICEAddresses(addrs ...netip.Addr) Option {
	return func(cfg *config) error {
		for _, a := range addrs {
			if !a.IsValid() || a.IsUnspecified() {
				return fmt.Errorf("ICE address %q: need a specific address of this machine", a)
			}
		}
		cfg.addrs = append([]netip.Addr(nil), addrs...)
		return nil
	}
}
