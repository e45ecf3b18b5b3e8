package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/rtcdrill/rtcdrill/webui"
)

// nodeFlags are serve's flags for running several nodes on one database
// (docs/deploy.md, "Nodes").
type nodeFlags struct {
	id, url string
	ttl     time.Duration
}

func addNodeFlags(fs *flag.FlagSet) *nodeFlags {
	n := &nodeFlags{}
	fs.StringVar(&n.id, "node-id", envOr("RTCDRILL_NODE_ID", ""),
		"this node's name in the database's call leases; default host-pid-random (env RTCDRILL_NODE_ID)")
	fs.StringVar(&n.url, "node-url", envOr("RTCDRILL_NODE_URL", ""),
		"base URL at which other nodes reach this one, e.g. http://10.0.0.5:8080; default from --addr when it names a host (env RTCDRILL_NODE_URL)")
	fs.DurationVar(&n.ttl, "lease-ttl", envDuration("RTCDRILL_LEASE_TTL", 15*time.Second),
		"how long a node's claim on a live call lasts unrenewed: how soon another node resumes a dead node's calls (env RTCDRILL_LEASE_TTL)")
	return n
}

// config checks the flags and fills the node part of the web config; addr
// is the --addr flag.
func (n *nodeFlags) config(addr string, cfg *webui.Config) error {
	if n.ttl < time.Second {
		return fmt.Errorf("--lease-ttl must be at least 1s, got %v", n.ttl)
	}
	url := n.url
	if url == "" {
		url = nodeURLOf(addr)
	}
	if url != "" {
		if err := webui.CheckNodeURL(url); err != nil {
			return fmt.Errorf("--node-url: %w", err)
		}
	}
	cfg.NodeID, cfg.NodeURL, cfg.LeaseTTL = n.id, url, n.ttl
	return nil
}

// nodeURLOf is the URL other nodes can use for a listening address, or ""
// when the address does not say (a wildcard host, or port 0).
func nodeURLOf(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "0" || port == "" {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return ""
	}
	return "http://" + net.JoinHostPort(host, port)
}

// envDuration reads a duration environment variable, or fallback when it
// is unset or not a duration (the flag's own check then reports it).
func envDuration(name string, fallback time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return fallback
}
