package browserfeed

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
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
