package simulator

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
	"github.com/rtcdrill/rtcdrill/simulator/mediaserver"
	"github.com/rtcdrill/rtcdrill/simulator/netpath"
)

// healthyLoad is a media server that is not the problem.
var healthyLoad = mediaserver.Load{CPU: 0.35, Memory: 0.45, Sessions: 800}

// newCluster builds the media servers a session's call can be served by.
func newCluster(now func() time.Time) (*mediaserver.Cluster, error) {
	return mediaserver.New(mediaserver.WithNow(now),
		mediaserver.WithLoad(mediaserver.RolePrimary, healthyLoad),
		mediaserver.WithLoad(mediaserver.RoleBackup, mediaserver.Load{CPU: 0.30, Memory: 0.40, Sessions: 600}))
}

// followServer sets the primary server's load and state from the timeline
// and returns the serving server's effect on the downlink.
func (s *Session) followServer(at time.Duration) impair.Config {
	f := s.variant.FaultsAt(at)
	load := healthyLoad
	if f.ServerLoad != nil {
		load = mediaserver.Load{CPU: f.ServerLoad.CPU, Memory: f.ServerLoad.Memory, Sessions: int(f.ServerLoad.Sessions)}
	}
	if err := s.cluster.SetLoad(mediaserver.RolePrimary, load); err != nil {
		s.record(Event{Offset: at, Peer: "server", Kind: "error", Message: err.Error()})
	}
	_ = s.cluster.SetDown(mediaserver.RolePrimary, f.PrimaryMediaServerDown)
	return s.cluster.Effect().Overlay
}

// serverCPU is the serving media server's CPU load now.
func (s *Session) serverCPU() float64 {
	st, err := s.cluster.Server(s.cluster.Serving())
	if err != nil {
		return 0
	}
	return st.CPU
}

// Dashboard is the monitoring panel of the media servers: what an agent
// checks when many customers complain at once.
func (s *Session) Dashboard() mediaserver.Dashboard { return s.cluster.Dashboard() }

// EdgeNode is the edge node serving the call now: the scenario's, moved by
// any move_edge_node remedy applied since; when the scenario names none, the
// node nearest the customer's region, as the service would pick; "" when
// the region is unknown too.
func (s *Session) EdgeNode() string {
	s.mu.Lock()
	node := s.edgeNode
	s.mu.Unlock()
	if node != "" {
		return node
	}
	for _, loc := range []string{s.sc.Customer.Region.EN, s.sc.Customer.Region.ZH} {
		if r, err := netpath.RegionOf(loc); err == nil {
			if n, err := netpath.NearestNode(r); err == nil {
				return string(n)
			}
		}
	}
	return ""
}

// path is the customer's network path as the call runs now.
func (s *Session) path() (*netpath.Path, error) {
	s.mu.Lock()
	network, node, up, down := s.network, s.edgeNode, s.lastUp, s.lastDown
	s.mu.Unlock()
	region, err := netpath.RegionOf(s.sc.Customer.Region.EN)
	if err != nil {
		region, err = netpath.RegionOf(s.sc.Customer.Region.ZH)
	}
	if err != nil {
		return nil, fmt.Errorf("customer region: %w", err)
	}
	// The call's impairment already holds the whole path (the timeline is
	// end to end), so the model adds only its hop structure.
	return netpath.New(netpath.Spec{Network: netpath.NetworkType(network), Region: region,
		Node: netpath.Node(node), Uplink: up, Downlink: down}, netpath.WithEndToEnd())
}

// Ping runs count echo requests to the media server over the customer's
// path as it is now: RTT and loss consistent with the live call.
func (s *Session) Ping(count int) ([]netpath.PingReply, netpath.PingSummary, error) {
	p, err := s.path()
	if err != nil {
		return nil, netpath.PingSummary{}, fmt.Errorf("simulator: ping: %w", err)
	}
	replies, err := p.Ping(count, s.toolRand())
	if err != nil {
		return nil, netpath.PingSummary{}, fmt.Errorf("simulator: ping: %w", err)
	}
	s.record(Event{Offset: s.Offset(), Peer: "agent", Kind: "tool", Message: fmt.Sprintf("ping -c %d media server", count)})
	return replies, netpath.Summarize(replies), nil
}

// Traceroute lists the hops to the media server with per-hop latency and
// loss; the scenario's trouble shows from the hop where it sits.
func (s *Session) Traceroute() ([]netpath.TraceHop, error) {
	p, err := s.path()
	if err != nil {
		return nil, fmt.Errorf("simulator: traceroute: %w", err)
	}
	hops, err := p.Traceroute(s.toolRand())
	if err != nil {
		return nil, fmt.Errorf("simulator: traceroute: %w", err)
	}
	s.record(Event{Offset: s.Offset(), Peer: "agent", Kind: "tool", Message: "traceroute media server"})
	return hops, nil
}

// toolRand gives each tool run its own reproducible draws.
func (s *Session) toolRand() *rand.Rand {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.toolRuns++
	return rand.New(rand.NewPCG(s.variant.Seed, 0x70015^s.toolRuns))
}
