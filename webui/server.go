// Package webui is rtcdrill's web platform: accounts, dashboards, admin pages
// and (later) the live exam, served with Echo and server-rendered
// html/template pages. It is the only package that imports echo.
package webui

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// Config is what a deployment chooses. Zero values take the defaults noted.
type Config struct {
	// SecureCookies marks cookies Secure even when the request did not come
	// over TLS, for servers behind a TLS-terminating proxy.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For; leave it off
	// unless a proxy sets that header, or clients can dodge the sign-in limit.
	TrustProxy bool
	// SessionTTL is how long a sign-in lasts (default 12h).
	SessionTTL time.Duration
	// SignInBurst sign-in attempts are allowed per address and username at
	// once (default 5), then one more every SignInEvery (default 12s).
	SignInBurst int
	SignInEvery time.Duration
	// ScenariosDir is the scenario library trainers browse and edit; empty
	// means none.
	ScenariosDir string
	// MaxLiveCalls is how many exam calls may run at once (default 8). Each
	// is a real pair of WebRTC peers, so the host's cores set the limit.
	MaxLiveCalls int
	// ICEAddresses are this machine's addresses on which the customer's
	// video (the browser feed) offers ICE candidates besides loopback: set
	// them when trainees' browsers run on other machines.
	ICEAddresses []netip.Addr
	// LiveCallIdle is how long an exam call nobody watches keeps running
	// (default 3m); it resumes from its stored offset when reopened.
	LiveCallIdle time.Duration
	// NodeID names this node in the database's call leases when several
	// nodes share it (default host-pid-random, new for every process).
	NodeID string
	// NodeURL is the base URL (http://host:port) at which the other nodes
	// reach this one directly, to forward requests for the live calls it
	// runs; empty suits a single node (see docs/deploy.md).
	NodeURL string
	// LeaseTTL is how long a node's claim on a live call lasts unrenewed
	// (default 15s): how soon another node resumes the calls of a node that
	// died. The node renews every third of it.
	LeaseTTL time.Duration
	// MetricsToken, when set, lets a scraper read /metrics with
	// "Authorization: Bearer <token>"; admins' sessions always can.
	MetricsToken string
}

func (c Config) withDefaults() Config {
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.SignInBurst <= 0 {
		c.SignInBurst = 5
	}
	if c.SignInEvery <= 0 {
		c.SignInEvery = 12 * time.Second
	}
	if c.MaxLiveCalls <= 0 {
		c.MaxLiveCalls = 8
	}
	if c.LiveCallIdle <= 0 {
		c.LiveCallIdle = 3 * time.Minute
	}
	if c.NodeID == "" {
		c.NodeID = defaultNodeID()
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 15 * time.Second
	}
	return c
}

// Server is the web application. Build it with New; serve it with Serve or
// mount Handler.
type Server struct {
	cfg    Config
	store  *store.Store
	now    func() time.Time
	random io.Reader
	log    *slog.Logger

	echo    *echo.Echo
	pages   *pages
	catalog *catalog
	limiter *limiter
	library *library
	live    *liveCalls
	proxy   *nodeProxy // to the other nodes' live calls (cluster.go)
	// customer runs the customer's views (customer_view_*.go); its feeds
	// registry is where a live session's downlink changes can be pushed.
	customer *customerViews
	// metrics is the server's own Prometheus registry (metrics*.go).
	metrics *appMetrics

	mu      sync.Mutex
	closed  bool
	cancels []context.CancelFunc
	wg      sync.WaitGroup
}

// Option configures a Server at New.
type Option func(*Server) error

// WithClock sets the clock for sessions, rate limits and exam timers.
func WithClock(now func() time.Time) Option {
	return func(s *Server) error {
		if now == nil {
			return errors.New("nil clock")
		}
		s.now = now
		return nil
	}
}

// WithRandom sets the source for generated one-time passwords.
func WithRandom(r io.Reader) Option {
	return func(s *Server) error {
		if r == nil {
			return errors.New("nil random source")
		}
		s.random = r
		return nil
	}
}

// WithLogger sets where requests and server errors are logged.
func WithLogger(log *slog.Logger) Option {
	return func(s *Server) error {
		if log == nil {
			return errors.New("nil logger")
		}
		s.log = log
		return nil
	}
}

// New builds the server: it parses templates and message catalogs once, so
// a broken template fails here rather than on some later request.
func New(cfg Config, st *store.Store, opts ...Option) (*Server, error) {
	if st == nil {
		return nil, errors.New("new webui: nil store")
	}
	s := &Server{
		cfg:    cfg.withDefaults(),
		store:  st,
		now:    time.Now,
		random: rand.Reader,
		log:    slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, fmt.Errorf("new webui: %w", err)
		}
	}
	var err error
	if s.catalog, err = loadCatalog(); err != nil {
		return nil, fmt.Errorf("new webui: %w", err)
	}
	if s.pages, err = loadPages(); err != nil {
		return nil, fmt.Errorf("new webui: %w", err)
	}
	s.limiter = newLimiter(s.cfg.SignInEvery, s.cfg.SignInBurst, 10_000)
	s.library = newLibrary(s.cfg.ScenariosDir)
	// Before anything that needs stopping: the collectors only read s at
	// scrape time.
	if s.metrics, err = newAppMetrics(s); err != nil {
		return nil, fmt.Errorf("new webui: %w", err)
	}
	if s.cfg.NodeURL != "" {
		if err := CheckNodeURL(s.cfg.NodeURL); err != nil {
			return nil, fmt.Errorf("new webui: %w", err)
		}
	}
	s.proxy = newNodeProxy(s.cfg.NodeID, s.log)
	s.live = newLiveCalls(liveConfig{max: s.cfg.MaxLiveCalls, idle: s.cfg.LiveCallIdle,
		saveEvery: 3 * time.Second, startTimeout: time.Minute,
		nodeID: s.cfg.NodeID, nodeURL: s.cfg.NodeURL, leaseTTL: s.cfg.LeaseTTL}, st, s.now, s.log, s.expireAttemptByID)
	if err := s.settleActiveAttempts(context.Background()); err != nil {
		s.live.close()
		return nil, fmt.Errorf("new webui: %w", err)
	}
	s.live.startLeases(s.resumeAttempt)
	s.echo = echo.New()
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.HTTPErrorHandler = s.handleError
	s.echo.IPExtractor = echo.ExtractIPDirect()
	if s.cfg.TrustProxy {
		s.echo.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s.routes()
	return s, nil
}

// Handler is the whole application as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve answers on ln until ctx is cancelled or the server is closed, then
// stops accepting and lets requests in flight finish (for up to ten
// seconds).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("serve %s: server closed", ln.Addr())
	}
	s.cancels = append(s.cancels, cancel)
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	if err != nil {
		return fmt.Errorf("shut down %s: %w", ln.Addr(), err)
	}
	return nil
}

// Close stops any Serve in progress and every live exam call (storing
// each call's timeline offset first), and waits for them to finish. The
// store belongs to the caller and stays open. It is safe to call twice.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	cancels := s.cancels
	s.cancels = nil
	s.mu.Unlock()
	for _, cancel := range cancels {
		cancel()
	}
	// Live calls first: their event streams hold requests open, which a
	// graceful shutdown would otherwise wait on.
	s.live.close()
	s.proxy.close()
	s.wg.Wait()
	return nil
}
