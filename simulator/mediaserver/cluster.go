package mediaserver

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Role is a server's place in the deployment.
type Role string

// The roles of servers.
const (
	// RolePrimary is the server the session starts on; with the scaled-out
	// instances it forms the pool the scenario's load lands on.
	RolePrimary Role = "primary"
	// RoleBackup is the standby a failover moves the session to.
	RoleBackup Role = "backup"
	// RoleScaled is an instance a scale-out added to the primary's pool.
	RoleScaled Role = "scaled"
)

// Defaults of a Cluster.
const (
	// DefaultRebalance is how long the pool takes to spread its sessions
	// over instances that just came up: new sessions go to them at once,
	// existing ones move as they reconnect.
	DefaultRebalance = 10 * time.Second
	// DefaultMemoryThreshold marks a server overloaded by memory alone.
	DefaultMemoryThreshold = 0.9
	// Idle CPU and memory a server uses with no session, which do not
	// spread when the pool grows.
	idleCPU    = 0.05
	idleMemory = 0.20
)

// Cluster is the set of media servers one call can be served by: a primary,
// a backup and any scaled-out instances. Its methods are safe for
// concurrent use.
type Cluster struct {
	now        func() time.Time
	curve      Curve
	memLimit   float64
	rebalance  time.Duration
	prefix     string
	capacity   int
	mu         sync.Mutex
	demand     Load // the pool's load, as the primary alone would carry it
	backup     Load
	down       map[Role]bool
	scaleOuts  []scaleOut
	onBackup   bool
	nextScaled int
}

// scaleOut is one ScaleOut call: instances ready at a time.
type scaleOut struct {
	names []string
	ready time.Time
}

// Option configures a Cluster.
type Option func(*Cluster) error

// WithNow replaces the wall clock, for tests.
func WithNow(now func() time.Time) Option {
	return func(c *Cluster) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrInvalid)
		}
		c.now = now
		return nil
	}
}

// WithCurve replaces DefaultCurve, threshold included.
func WithCurve(cv Curve) Option {
	return func(c *Cluster) error {
		if err := cv.Validate(); err != nil {
			return err
		}
		c.curve = cv
		return nil
	}
}

// WithMemoryThreshold sets the memory fraction above which a server shows
// as overloaded. Memory does not degrade the media in this model: it is
// the early warning on the panel.
func WithMemoryThreshold(f float64) Option {
	return func(c *Cluster) error {
		if !(f > 0 && f <= 1) {
			return fmt.Errorf("%w: memory threshold %g out of range (0,1]", ErrInvalid, f)
		}
		c.memLimit = f
		return nil
	}
}

// WithRebalance sets how long the load takes to spread once scaled-out
// instances are up; 0 spreads it at once.
func WithRebalance(d time.Duration) Option {
	return func(c *Cluster) error {
		if d < 0 {
			return fmt.Errorf("%w: rebalance %v is negative", ErrInvalid, d)
		}
		c.rebalance = d
		return nil
	}
}

// WithCapacity sets every server's session capacity. Without it a server's
// capacity is derived from its load: the sessions it would carry at 100 %
// CPU, as a capacity plan would extrapolate.
func WithCapacity(sessions int) Option {
	return func(c *Cluster) error {
		if sessions < 1 {
			return fmt.Errorf("%w: capacity %d must be at least 1", ErrInvalid, sessions)
		}
		c.capacity = sessions
		return nil
	}
}

// WithNamePrefix names the servers prefix-01 (primary), prefix-02 (backup),
// prefix-03... (scaled); the default prefix is "media".
func WithNamePrefix(prefix string) Option {
	return func(c *Cluster) error {
		if prefix == "" {
			return fmt.Errorf("%w: empty name prefix", ErrInvalid)
		}
		c.prefix = prefix
		return nil
	}
}

// WithLoad sets a server's starting load, as SetLoad does.
func WithLoad(r Role, l Load) Option {
	return func(c *Cluster) error { return c.setLoad(r, l) }
}

// New builds a cluster with idle servers, the session on the primary.
func New(opts ...Option) (*Cluster, error) {
	c := &Cluster{
		now: time.Now, curve: DefaultCurve(), memLimit: DefaultMemoryThreshold,
		rebalance: DefaultRebalance, prefix: "media", down: map[Role]bool{}, nextScaled: 3,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("new media cluster: %w", err)
		}
	}
	return c, nil
}

func (c *Cluster) name(n int) string { return fmt.Sprintf("%s-%02d", c.prefix, n) }

// SetLoad sets a server's load as the scenario's timeline gives it. For the
// primary it is the pool's demand, what the primary alone would carry:
// scaled-out instances take their share of it. RoleScaled is rejected: the
// instances have no load of their own.
func (c *Cluster) SetLoad(r Role, l Load) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.setLoad(r, l)
}

func (c *Cluster) setLoad(r Role, l Load) error {
	if err := l.Validate(); err != nil {
		return fmt.Errorf("set %s load: %w", r, err)
	}
	switch r {
	case RolePrimary:
		c.demand = l
	case RoleBackup:
		c.backup = l
	default:
		return fmt.Errorf("set %s load: %w: only the primary and the backup take a load", r, ErrInvalid)
	}
	return nil
}

// SetDown takes a server down or brings it back; RoleScaled acts on every
// scaled-out instance. A session on a down server gets nothing until it
// fails over.
func (c *Cluster) SetDown(r Role, down bool) error {
	switch r {
	case RolePrimary, RoleBackup, RoleScaled:
	default:
		return fmt.Errorf("set %q down: %w: unknown role", r, ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down[r] = down
	return nil
}

// ScaleOut orders instances more servers for the primary's pool. They come
// up after the given delay and the load spreads over them during the
// rebalance that follows. It returns when they will be up: the ETA to give
// the customer.
func (c *Cluster) ScaleOut(instances int, after time.Duration) (time.Time, error) {
	if instances < 1 || after < 0 {
		return time.Time{}, fmt.Errorf("scale out %d instances after %v: %w", instances, after, ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	so := scaleOut{ready: c.now().Add(after)}
	for range instances {
		so.names = append(so.names, c.name(c.nextScaled))
		c.nextScaled++
	}
	c.scaleOuts = append(c.scaleOuts, so)
	return so.ready, nil
}

// ScaleOutETA is how long until the last ordered instance is up; false when
// none is pending.
func (c *Cluster) ScaleOutETA() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.eta(c.now())
}

func (c *Cluster) eta(now time.Time) (time.Duration, bool) {
	var eta time.Duration
	for _, so := range c.scaleOuts {
		eta = max(eta, so.ready.Sub(now))
	}
	return eta, eta > 0
}

// ErrFailover is returned when a failover cannot happen.
var ErrFailover = errors.New("mediaserver: cannot fail over")

// Failover moves the session to the backup server and returns its name.
// The call must reconnect to it; from then on the backup's own load applies.
func (c *Cluster) Failover() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.onBackup:
		return "", fmt.Errorf("%w: the session is already on the backup %s", ErrFailover, c.name(2))
	case c.down[RoleBackup]:
		return "", fmt.Errorf("%w: the backup %s is down", ErrFailover, c.name(2))
	}
	c.onBackup = true
	return c.name(2), nil
}

// Serving is the name of the server the session is on.
func (c *Cluster) Serving() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.onBackup {
		return c.name(2)
	}
	return c.name(1)
}
