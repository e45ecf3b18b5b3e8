package webui

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// appMetrics is the server's own Prometheus registry and what feeds it. It
// is built per Server, never global, so that two servers in one process
// (tests, a restart) do not share or clash over series.
type appMetrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	handler  echo.HandlerFunc
}

// httpBuckets cover a page render (a few ms) up to the slowest requests
// that still end (a pcap capture, a first call start under load); event
// streams last as long as a page is open and fall in +Inf.
func httpBuckets() []float64 {
	return []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}
}

// newAppMetrics registers the HTTP histogram, the live calls' collector and
// the Go runtime and process collectors on a new registry.
func newAppMetrics(s *Server) (*appMetrics, error) {
	m := &appMetrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rtcdrill_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route template, method and status class.",
			// The route template, never the raw path: ids in paths would
			// make a series per attempt.
			Buckets: httpBuckets(),
		}, []string{"route", "method", "code"}),
	}
	for _, c := range []prometheus.Collector{
		m.requests,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newCallCollector(s),
	} {
		if err := m.registry.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog: promErrorLog{s.log},
		// One failing collector (the store, say) must not hide the rest.
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            m.registry,
		MaxRequestsInFlight: 4,
		Timeout:             30 * time.Second,
	})
	m.handler = echo.WrapHandler(h)
	return m, nil
}

// promErrorLog passes promhttp's errors to the server's logger.
type promErrorLog struct{ log *slog.Logger }

func (l promErrorLog) Println(v ...any) {
	l.log.Warn("metrics", slog.String("error", fmt.Sprint(v...)))
}

// middleware times every request under its route template. It sits
// outside the request logger (which hands errors to the error handler), and
// works out the status itself for an error nobody handled yet.
func (m *appMetrics) middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			status := c.Response().Status
			if err != nil && !c.Response().Committed {
				status = statusOf(err)
			}
			route := c.Path()
			if route == "" || unmatched(err) {
				// Unmatched paths are whatever a scanner tries: one series.
				route = "unmatched"
			}
			m.requests.WithLabelValues(route, c.Request().Method, statusClass(status)).
				Observe(time.Since(start).Seconds())
			return err
		}
	}
}

// unmatched tells a request no route took: echo answers it with its own
// errors, and c.Path() is then only the nearest node of the route tree.
// (The request logger hands errors on after handling them, so err is seen.)
func unmatched(err error) bool {
	return errors.Is(err, echo.ErrNotFound) || errors.Is(err, echo.ErrMethodNotAllowed)
}

// statusClass turns 404 into "4xx": exact codes add series without telling
// a dashboard more.
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "unknown"
	}
	return strconv.Itoa(status/100) + "xx"
}
