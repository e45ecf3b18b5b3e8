package main

import (
	"fmt"
	"time"

	"github.com/rtcdrill/rtcdrill/scenarios"
	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// scenarioPlayer plays a scenario variant's media timeline on the call.
type scenarioPlayer struct {
	id      string
	variant *scenarios.Variant
}

func newScenarioPlayer(path string, seed uint64) (*scenarioPlayer, error) {
	sc, err := scenarios.LoadFile(path)
	if err != nil {
		return nil, err
	}
	if !sc.RunnableOnMediaEngine() {
		return nil, fmt.Errorf("%s: scenario %s uses faults beyond the media path (signaling, codecs, firewall, server); the engine plays only media impairments for now", path, sc.ID)
	}
	return &scenarioPlayer{id: string(sc.ID), variant: sc.Variant(seed)}, nil
}

func (p *scenarioPlayer) at(offset time.Duration) (impair.Config, impair.Config) {
	return simulator.ImpairmentsAt(p.variant, offset)
}

func (p *scenarioPlayer) duration() time.Duration { return p.variant.Duration() }

func (p *scenarioPlayer) describe() string {
	return fmt.Sprintf("scenario %s (seed %d, %d phases, %v)", p.id, p.variant.Seed, len(p.variant.Phases), p.variant.Duration())
}
