package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/webui"
)

// serveCmd runs `rtcdrill serve`: the web platform on an SQLite file in the
// data directory, until the context from main is cancelled (Ctrl-C or
// SIGTERM), then a graceful shutdown.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("RTCDRILL_ADDR", ":8080"), "listen address (env RTCDRILL_ADDR)")
	data := fs.String("data", envOr("RTCDRILL_DATA", "./data"), "data directory holding rtcdrill.db (env RTCDRILL_DATA)")
	db := fs.String("db", envOr("RTCDRILL_DB", ""), "database: an SQLite file, or PostgreSQL as a postgres:// URL or a "+
		"host=... DSN (env RTCDRILL_DB; default rtcdrill.db in --data)")
	scenarioDir := fs.String("scenarios", envOr("RTCDRILL_SCENARIOS", "./scenarios.d"), "scenario directory (env RTCDRILL_SCENARIOS)")
	secure := fs.Bool("secure-cookies", envBool("RTCDRILL_SECURE_COOKIES"), "mark cookies Secure, behind a TLS proxy (env RTCDRILL_SECURE_COOKIES)")
	maxCalls := fs.Int("max-live-calls", envInt("RTCDRILL_MAX_LIVE_CALLS", 8),
		"live exam calls this node runs at once; each is two WebRTC peers (env RTCDRILL_MAX_LIVE_CALLS)")
	iceIPs := fs.String("ice-ip", envOr("RTCDRILL_ICE_IP", ""), "comma-separated addresses of this machine on which the customer's video\n"+
		"reaches trainees' browsers on other machines (default: loopback only) (env RTCDRILL_ICE_IP)")
	trustProxy := fs.Bool("trust-proxy", envBool("RTCDRILL_TRUST_PROXY"), "take client addresses from X-Forwarded-For (env RTCDRILL_TRUST_PROXY)")
	metricsToken := fs.String("metrics-token", envOr("RTCDRILL_METRICS_TOKEN", ""),
		"bearer token a Prometheus scraper sends for /metrics; admins' sessions can always read it "+
			"(env RTCDRILL_METRICS_TOKEN, preferred: flags show in ps)")
	node := addNodeFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: rtcdrill serve [flags]\n\nServes the web platform. On an empty database it creates the user")
		fmt.Fprintln(stderr, "'admin' and prints a one-time password once.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *maxCalls < 1 {
		fmt.Fprintf(stderr, "serve: --max-live-calls must be at least 1, got %d\n", *maxCalls)
		return 2
	}
	if t := *metricsToken; t != "" && (len(t) < 16 || strings.ContainsAny(t, " \t\r\n")) {
		fmt.Fprintf(stderr, "serve: --metrics-token (or RTCDRILL_METRICS_TOKEN) must be at least 16 characters without spaces, got %d characters\n", len(t))
		return 2
	}
	iceAddrs, err := parseICEAddresses(*iceIPs)
	if err != nil {
		fmt.Fprintf(stderr, "serve: --ice-ip (or RTCDRILL_ICE_IP): %v\n", err)
		return 2
	}
	cfg := webui.Config{SecureCookies: *secure, TrustProxy: *trustProxy, ScenariosDir: *scenarioDir,
		MaxLiveCalls: *maxCalls, MetricsToken: *metricsToken, ICEAddresses: iceAddrs}
	if err := node.config(*addr, &cfg); err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := serve(ctx, serveOptions{
		addr: *addr, data: *data, scenarios: *scenarioDir, db: *db,
		cfg: cfg,
	}, stdout, log); err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}
	return 0
}

// parseICEAddresses reads --ice-ip: comma-separated specific IP addresses.
func parseICEAddresses(list string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	for i, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("item %d %q: not an IP address", i+1, f)
		}
		if a.IsUnspecified() || a.IsMulticast() {
			return nil, fmt.Errorf("item %d %q: need a specific address of this machine", i+1, f)
		}
		addrs = append(addrs, a)
	}
	return addrs, nil
}

// serveOptions are serve's parsed flags.
type serveOptions struct {
	addr, data, scenarios string
	db                    string // --db; empty: rtcdrill.db in data
	cfg                   webui.Config
}

func serve(ctx context.Context, o serveOptions, stdout io.Writer, log *slog.Logger) error {
	if err := os.MkdirAll(o.data, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if fi, err := os.Stat(o.scenarios); err != nil || !fi.IsDir() {
		log.Warn("scenario directory not found; trainers will see no scenarios", "dir", o.scenarios)
	}
	dsn := o.db
	if dsn == "" {
		dsn = filepath.Join(o.data, "rtcdrill.db")
	}
	// Only the redacted form is ever shown: logs travel further than DSNs.
	log.Info("opening database", "db", store.RedactDSN(dsn))
	st, err := store.Open(ctx, dsn, store.WithLogger(log))
	if err != nil {
		return err
	}
	defer st.Close()
	admin, err := webui.FirstRun(ctx, st, rand.Reader)
	if err != nil {
		return err
	}
	srv, err := webui.New(o.cfg, st, webui.WithLogger(log))
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	url := browseURL(ln.Addr())
	fmt.Fprintf(stdout, "rtcdrill is serving on %s (data in %s, scenarios from %s)\n", url, o.data, o.scenarios)
	if admin.Created {
		fmt.Fprintf(stdout, "First run: sign in at %ssignin as %q with the one-time password\n\n    %s\n\n"+
			"It is shown only now; you will choose your own password at the first sign-in.\n",
			url, admin.Username, admin.Password)
	} else {
		fmt.Fprintf(stdout, "Sign in at %ssignin with your account.\n", url)
	}
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "rtcdrill stopped.")
	return nil
}

// browseURL turns a listening address into a URL a person can open: a
// wildcard host becomes localhost.
func browseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}

func envBool(name string) bool {
	v, err := strconv.ParseBool(os.Getenv(name))
	return err == nil && v
}

// envInt reads a whole-number environment variable, or fallback when it is
// unset or not a number (the flag's own check then reports a bad value).
func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return fallback
}
