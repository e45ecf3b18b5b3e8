package mediaserver

import (
	"fmt"
	"math"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// Status is a server's state on the monitoring panel.
type Status string

// The statuses of a server.
const (
	StatusUp         Status = "up"
	StatusOverloaded Status = "overloaded"
	StatusDown       Status = "down"
	// StatusStarting is a scaled-out instance ordered but not up yet.
	StatusStarting Status = "starting"
)

// ServerStatus is one server's row on the panel.
type ServerStatus struct {
	Name   string  `json:"name"`
	Role   Role    `json:"role"`
	Status Status  `json:"status"`
	CPU    float64 `json:"cpu"`
	Memory float64 `json:"memory"`
	// Sessions are the concurrent sessions on the server, Capacity what
	// it carries at 100 % CPU (see WithCapacity); 0 when unknown.
	Sessions int `json:"sessions"`
	Capacity int `json:"capacity"`
	// Serving marks the server the customer's session is on.
	Serving bool `json:"serving"`
}

// Dashboard is a snapshot of the monitoring panel.
type Dashboard struct {
	At      time.Time      `json:"at"`
	Serving string         `json:"serving"`
	Servers []ServerStatus `json:"servers"`
	// CPUThreshold and MemoryThreshold are the panel's alert lines.
	CPUThreshold    float64 `json:"cpuThreshold"`
	MemoryThreshold float64 `json:"memoryThreshold"`
	// ScalingOut is true while ordered instances are not up yet, and
	// ScaleOutETA is how long until the last of them is.
	ScalingOut  bool          `json:"scalingOut"`
	ScaleOutETA time.Duration `json:"scaleOutEta"`
}

// Effect is what the serving server does to the session's downlink now.
type Effect struct {
	Server string `json:"server"`
	// Down is true when the serving server is down: the session gets
	// nothing (Overlay.Outage) until it fails over.
	Down bool `json:"down"`
	// Overlay is the extra downlink impairment (Curve.At); merge it onto
	// the call's downlink with netpath.Combine.
	Overlay impair.Config `json:"-"`
	// FrameDrop is the probability of dropping each video frame.
	FrameDrop float64 `json:"frameDrop"`
}

// Dashboard returns the panel as of now.
func (c *Cluster) Dashboard() Dashboard {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	d := Dashboard{At: now, Servers: c.servers(now), CPUThreshold: c.curve.Threshold, MemoryThreshold: c.memLimit}
	for _, s := range d.Servers {
		if s.Serving {
			d.Serving = s.Name
		}
	}
	d.ScaleOutETA, d.ScalingOut = c.eta(now)
	return d
}

// Server returns one server's row by name.
func (c *Cluster) Server(name string) (ServerStatus, error) {
	for _, s := range c.Dashboard().Servers {
		if s.Name == name {
			return s, nil
		}
	}
	return ServerStatus{}, fmt.Errorf("media server %q: not found", name)
}

// Effect returns what the serving server does to the session now.
func (c *Cluster) Effect() Effect {
	c.mu.Lock()
	defer c.mu.Unlock()
	servers := c.servers(c.now())
	s := servers[0] // the primary, then the backup
	if c.onBackup {
		s = servers[1]
	}
	if s.Status == StatusDown {
		return Effect{Server: s.Name, Down: true, Overlay: impair.Config{Outage: true}, FrameDrop: 1}
	}
	overlay, drop := c.curve.At(s.CPU)
	return Effect{Server: s.Name, Overlay: overlay, FrameDrop: drop}
}

// servers computes every server's row. The pool's demand D (as the primary
// alone would carry it) spreads over the pool by weight: the primary weighs
// 1 (0 when down), an instance that came up weighs the fraction of the
// rebalance it has been up for. With W the total weight, a server of weight
// w shows idle + w*(D - idle)/W CPU and memory and w*sessions/W sessions.
func (c *Cluster) servers(now time.Time) []ServerStatus {
	type member struct {
		name    string
		role    Role
		weight  float64
		pending bool
	}
	pool := []member{{name: c.name(1), role: RolePrimary, weight: 1}}
	if c.down[RolePrimary] {
		pool[0].weight = 0
	}
	for _, so := range c.scaleOuts {
		for _, n := range so.names {
			m := member{name: n, role: RoleScaled, pending: now.Before(so.ready)}
			switch {
			case m.pending || c.down[RoleScaled]:
			case c.rebalance == 0:
				m.weight = 1
			default:
				m.weight = min(1, float64(now.Sub(so.ready))/float64(c.rebalance))
			}
			pool = append(pool, m)
		}
	}
	var total float64
	for _, m := range pool {
		total += m.weight
	}
	idleC, idleM := min(idleCPU, c.demand.CPU), min(idleMemory, c.demand.Memory)
	capacity := c.capacityOf(c.demand)
	var out []ServerStatus
	for _, m := range pool {
		s := ServerStatus{Name: m.name, Role: m.role, Capacity: capacity}
		if total > 0 && m.weight > 0 {
			share := m.weight / total
			s.CPU = idleC + share*(c.demand.CPU-idleC)
			s.Memory = idleM + share*(c.demand.Memory-idleM)
			s.Sessions = int(math.Round(share * float64(c.demand.Sessions)))
		}
		s.Status = c.status(s, c.down[m.role], m.pending)
		if s.Status == StatusDown {
			s.CPU, s.Memory, s.Sessions = 0, 0, 0
		}
		s.Serving = m.role == RolePrimary && !c.onBackup
		out = append(out, s)
	}
	b := ServerStatus{Name: c.name(2), Role: RoleBackup, CPU: c.backup.CPU, Memory: c.backup.Memory,
		Sessions: c.backup.Sessions, Capacity: c.capacityOf(c.backup), Serving: c.onBackup}
	b.Status = c.status(b, c.down[RoleBackup], false)
	if b.Status == StatusDown {
		b.CPU, b.Memory, b.Sessions = 0, 0, 0
	}
	// The panel lists the primary, the backup, then the scaled instances.
	return append([]ServerStatus{out[0], b}, out[1:]...)
}

func (c *Cluster) status(s ServerStatus, down, pending bool) Status {
	switch {
	case down:
		return StatusDown
	case pending:
		return StatusStarting
	case s.CPU > c.curve.Threshold || s.Memory > c.memLimit:
		return StatusOverloaded
	default:
		return StatusUp
	}
}

// capacityOf is the configured capacity, or the sessions l's server would
// carry at 100 % CPU: its sessions scaled by the CPU they use above idle.
func (c *Cluster) capacityOf(l Load) int {
	if c.capacity > 0 {
		return c.capacity
	}
	idle := min(idleCPU, l.CPU)
	if l.Sessions == 0 || l.CPU <= idle {
		return 0
	}
	return int(math.Round(float64(l.Sessions) * (1 - idle) / (l.CPU - idle)))
}
