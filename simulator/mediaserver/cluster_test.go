package mediaserver_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/mediaserver"
)

// clock is a settable clock for the scale-out timeline.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newCluster(tb testing.TB, opts ...mediaserver.Option) (*mediaserver.Cluster, *clock) {
	tb.Helper()
	clk := &clock{now: time.Date(2025, 11, 11, 20, 0, 0, 0, time.UTC)}
	c, err := mediaserver.New(append([]mediaserver.Option{mediaserver.WithNow(clk.Now)}, opts...)...)
	require.NoError(tb, err)
	return c, clk
}

func server(tb testing.TB, c *mediaserver.Cluster, name string) mediaserver.ServerStatus {
	tb.Helper()
	s, err := c.Server(name)
	require.NoError(tb, err)
	return s
}

func TestOverloadedPrimary(t *testing.T) {
	for _, tc := range []struct {
		name   string
		load   mediaserver.Load
		status mediaserver.Status
	}{
		{"healthy", mediaserver.Load{CPU: 0.6, Memory: 0.5, Sessions: 1200}, mediaserver.StatusUp},
		{"cpu over the line", mediaserver.Load{CPU: 0.9, Memory: 0.75, Sessions: 2000}, mediaserver.StatusOverloaded},
		{"memory over the line only", mediaserver.Load{CPU: 0.6, Memory: 0.95, Sessions: 1200}, mediaserver.StatusOverloaded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCluster(t, mediaserver.WithLoad(mediaserver.RolePrimary, tc.load))
			p := server(t, c, "media-01")
			assert.Equal(t, tc.status, p.Status)
			assert.InDelta(t, tc.load.CPU, p.CPU, 1e-12, "alone, the primary carries the whole demand")
			assert.InDelta(t, tc.load.Memory, p.Memory, 1e-12)
			assert.Equal(t, tc.load.Sessions, p.Sessions)
			assert.True(t, p.Serving)
			e := c.Effect()
			wantOverlay, wantDrop := mediaserver.DefaultCurve().At(tc.load.CPU)
			assert.Equal(t, "media-01", e.Server)
			assert.Equal(t, wantOverlay, e.Overlay, "memory alone does not degrade media")
			assert.Equal(t, wantDrop, e.FrameDrop)
			assert.False(t, e.Down)
		})
	}
}

func TestScaleOut(t *testing.T) {
	c, clk := newCluster(t, mediaserver.WithLoad(mediaserver.RolePrimary,
		mediaserver.Load{CPU: 0.95, Memory: 0.85, Sessions: 60000}))
	_, ok := c.ScaleOutETA()
	assert.False(t, ok, "nothing ordered yet")
	ready, err := c.ScaleOut(2, 60*time.Second)
	require.NoError(t, err)
	assert.Equal(t, clk.Now().Add(60*time.Second), ready)

	// Instance weights: 0 until up, then linear over the 10 s rebalance.
	for _, step := range []struct {
		at                    time.Duration
		eta                   time.Duration
		primaryCPU, scaledCPU float64
		primarySess, scaled   int
		scaledStatus          mediaserver.Status
	}{
		{0, 60 * time.Second, 0.95, 0, 60000, 0, mediaserver.StatusStarting},
		{30 * time.Second, 30 * time.Second, 0.95, 0, 60000, 0, mediaserver.StatusStarting},
		{60 * time.Second, 0, 0.95, 0, 60000, 0, mediaserver.StatusUp},
		// Weights 1, .5, .5: the primary carries half, each instance a quarter.
		{65 * time.Second, 0, 0.05 + 0.9/2, 0.05 + 0.9/4, 30000, 15000, mediaserver.StatusUp},
		{70 * time.Second, 0, 0.05 + 0.9/3, 0.05 + 0.9/3, 20000, 20000, mediaserver.StatusUp},
		{10 * time.Minute, 0, 0.05 + 0.9/3, 0.05 + 0.9/3, 20000, 20000, mediaserver.StatusUp},
	} {
		clk.mu.Lock()
		clk.now = ready.Add(step.at - 60*time.Second)
		clk.mu.Unlock()
		t.Run(step.at.String(), func(t *testing.T) {
			eta, pending := c.ScaleOutETA()
			assert.Equal(t, step.eta, eta)
			assert.Equal(t, step.eta > 0, pending)
			d := c.Dashboard()
			assert.Equal(t, step.eta > 0, d.ScalingOut)
			assert.Equal(t, step.eta, d.ScaleOutETA)
			require.Len(t, d.Servers, 4)
			names := []string{}
			total := 0
			for _, s := range d.Servers {
				names = append(names, s.Name)
				if s.Role != mediaserver.RoleBackup {
					total += s.Sessions
				}
			}
			assert.Equal(t, []string{"media-01", "media-02", "media-03", "media-04"}, names)
			assert.Equal(t, 60000, total, "the sessions move, none is lost")
			p := d.Servers[0]
			assert.InDelta(t, step.primaryCPU, p.CPU, 1e-9)
			assert.Equal(t, step.primarySess, p.Sessions)
			for _, s := range d.Servers[2:] {
				assert.Equal(t, mediaserver.RoleScaled, s.Role)
				assert.Equal(t, step.scaledStatus, s.Status)
				assert.InDelta(t, step.scaledCPU, s.CPU, 1e-9)
				assert.Equal(t, step.scaled, s.Sessions)
			}
			want, _ := mediaserver.DefaultCurve().At(step.primaryCPU)
			assert.Equal(t, want, c.Effect().Overlay)
		})
	}
	assert.True(t, c.Effect().Overlay.IsZero(), "after the rebalance the primary is below the threshold")
}

func TestFailover(t *testing.T) {
	overloaded := mediaserver.Load{CPU: 0.93, Memory: 0.8, Sessions: 2000}
	quiet := mediaserver.Load{CPU: 0.3, Memory: 0.4, Sessions: 400}
	for _, tc := range []struct {
		name        string
		primaryDown bool
		backupDown  bool
		wantErr     bool
	}{
		{"from an overloaded primary", false, false, false},
		{"from a down primary", true, false, false},
		{"to a down backup", false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCluster(t, mediaserver.WithLoad(mediaserver.RolePrimary, overloaded),
				mediaserver.WithLoad(mediaserver.RoleBackup, quiet))
			require.NoError(t, c.SetDown(mediaserver.RolePrimary, tc.primaryDown))
			require.NoError(t, c.SetDown(mediaserver.RoleBackup, tc.backupDown))
			before := c.Effect()
			if tc.primaryDown {
				assert.True(t, before.Down)
				assert.Equal(t, impair.Config{Outage: true}, before.Overlay)
				assert.Equal(t, 1.0, before.FrameDrop)
				p := server(t, c, "media-01")
				assert.Equal(t, mediaserver.StatusDown, p.Status)
				assert.Zero(t, p.CPU)
			} else {
				assert.False(t, before.Overlay.IsZero())
			}
			name, err := c.Failover()
			if tc.wantErr {
				assert.ErrorIs(t, err, mediaserver.ErrFailover)
				assert.Equal(t, "media-01", c.Serving())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "media-02", name)
			assert.Equal(t, "media-02", c.Serving())
			after := c.Effect()
			assert.Equal(t, "media-02", after.Server)
			assert.True(t, after.Overlay.IsZero(), "the backup's own load is healthy")
			assert.False(t, after.Down)
			b := server(t, c, "media-02")
			assert.True(t, b.Serving)
			assert.Equal(t, quiet.Sessions, b.Sessions)
			assert.False(t, server(t, c, "media-01").Serving)
			assert.Equal(t, "media-02", c.Dashboard().Serving)
			_, err = c.Failover()
			assert.ErrorIs(t, err, mediaserver.ErrFailover, "already there")

			// The backup fills up too: its own load now degrades the call.
			require.NoError(t, c.SetLoad(mediaserver.RoleBackup, overloaded))
			assert.False(t, c.Effect().Overlay.IsZero())
		})
	}
}

func TestCapacity(t *testing.T) {
	load := mediaserver.Load{CPU: 0.5, Memory: 0.5, Sessions: 900}
	for _, tc := range []struct {
		name string
		opts []mediaserver.Option
		want int
	}{
		{"derived: 900 sessions use 45 % above idle", nil, 1900},
		{"configured", []mediaserver.Option{mediaserver.WithCapacity(5000)}, 5000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCluster(t, append(tc.opts, mediaserver.WithLoad(mediaserver.RolePrimary, load))...)
			assert.Equal(t, tc.want, server(t, c, "media-01").Capacity)
		})
	}
	c, _ := newCluster(t)
	assert.Zero(t, server(t, c, "media-02").Capacity, "no load, no estimate")
}

func TestClusterErrors(t *testing.T) {
	c, _ := newCluster(t)
	assert.ErrorIs(t, c.SetLoad(mediaserver.RoleScaled, mediaserver.Load{}), mediaserver.ErrInvalid)
	assert.ErrorIs(t, c.SetLoad(mediaserver.RolePrimary, mediaserver.Load{CPU: 2}), mediaserver.ErrInvalid)
	assert.ErrorIs(t, c.SetDown("edge", true), mediaserver.ErrInvalid)
	_, err := c.ScaleOut(0, time.Minute)
	assert.ErrorIs(t, err, mediaserver.ErrInvalid)
	_, err = c.ScaleOut(1, -time.Second)
	assert.ErrorIs(t, err, mediaserver.ErrInvalid)
	_, err = c.Server("media-99")
	assert.Error(t, err)
	for _, tc := range []struct {
		name string
		opt  mediaserver.Option
	}{
		{"nil clock", mediaserver.WithNow(nil)},
		{"bad curve", mediaserver.WithCurve(mediaserver.Curve{Threshold: 2})},
		{"memory threshold", mediaserver.WithMemoryThreshold(0)},
		{"rebalance", mediaserver.WithRebalance(-time.Second)},
		{"capacity", mediaserver.WithCapacity(0)},
		{"prefix", mediaserver.WithNamePrefix("")},
		{"load", mediaserver.WithLoad(mediaserver.RoleBackup, mediaserver.Load{Memory: 3})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mediaserver.New(tc.opt)
			assert.ErrorIs(t, err, mediaserver.ErrInvalid)
		})
	}
}

func TestOptionsShapeThePanel(t *testing.T) {
	c, clk := newCluster(t,
		mediaserver.WithNamePrefix("sh-media"),
		mediaserver.WithCurve(mediaserver.Curve{Threshold: 0.6, MaxDelay: 50 * ms}),
		mediaserver.WithMemoryThreshold(0.7),
		mediaserver.WithRebalance(0),
		mediaserver.WithLoad(mediaserver.RolePrimary, mediaserver.Load{CPU: 0.65, Memory: 0.5, Sessions: 100}))
	d := c.Dashboard()
	assert.Equal(t, "sh-media-01", d.Serving)
	assert.Equal(t, 0.6, d.CPUThreshold)
	assert.Equal(t, 0.7, d.MemoryThreshold)
	assert.Equal(t, mediaserver.StatusOverloaded, d.Servers[0].Status, "65 %% is over a 60 %% line")
	_, err := c.ScaleOut(1, time.Second)
	require.NoError(t, err)
	clk.Advance(time.Second)
	p := server(t, c, "sh-media-01")
	assert.InDelta(t, 0.05+0.6/2, p.CPU, 1e-9, "no rebalance: spread as soon as it is up")
	assert.Equal(t, mediaserver.StatusUp, p.Status)
	require.NoError(t, c.SetDown(mediaserver.RoleScaled, true))
	assert.InDelta(t, 0.65, server(t, c, "sh-media-01").CPU, 1e-9, "a down instance takes nothing")
	assert.Equal(t, mediaserver.StatusDown, server(t, c, "sh-media-03").Status)
}

// TestConcurrentUse lets the web UI poll while the engine drives the model;
// run with -race.
func TestConcurrentUse(t *testing.T) {
	c, clk := newCluster(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 200 {
				switch (w + k) % 5 {
				case 0:
					assert.NoError(t, c.SetLoad(mediaserver.RolePrimary, mediaserver.Load{CPU: float64(k%100) / 100}))
				case 1:
					_ = c.Dashboard()
				case 2:
					_ = c.Effect()
				case 3:
					_, err := c.ScaleOut(1, time.Second)
					assert.NoError(t, err)
				default:
					clk.Advance(100 * ms)
				}
			}
		}()
	}
	wg.Wait()
	d := c.Dashboard()
	assert.Equal(t, 2+160, len(d.Servers), "every ordered instance is listed")
}
