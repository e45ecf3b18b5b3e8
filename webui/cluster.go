package webui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
)

// Several `rtcdrill serve` nodes may share one database behind a load
// balancer. Pages and reports are served by any node from the database; an
// attempt's live call runs on one node only, the holder of the attempt's
// lease (store.Lease). A request that needs the call and reaches another
// node is forwarded to the holder (followLease), and a node that dies
// stops renewing its leases, whose attempts the others then resume
// (liveCalls.takeOver). docs/deploy.md describes the deployment.

// hopHeader marks a request one node forwarded to another. The receiving
// node serves it itself whatever the lease says, so a request is forwarded
// once at most and two nodes that disagree cannot bounce it between them.
const hopHeader = "X-Rtcdrill-Forwarded-By"

// defaultNodeID names a node by host and process, plus random bytes so that
// a restarted process with a reused pid is still a new node.
func defaultNodeID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// CheckNodeURL validates a node URL (Config.NodeURL): an absolute http or
// https URL of a host, with no path beyond "/", query or fragment, since
// forwarded requests keep their own path.
func CheckNodeURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("node URL %q: %w", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("node URL %q: scheme must be http or https", raw)
	case u.Host == "":
		return fmt.Errorf("node URL %q: no host", raw)
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return fmt.Errorf("node URL %q: only scheme, host and port are allowed", raw)
	}
	return nil
}

// followLease sends a request that needs the attempt's live call to the
// node holding the attempt's lease. It serves the request here when the
// call runs here, when nobody holds the lease, when the lease expired (the
// holder died: the call resumes here) or when it was taken under this
// node's URL (a previous life of this node), and when another node
// forwarded the request.
func (s *Server) followLease(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Header.Get(hopHeader) != "" {
			return next(c)
		}
		id, err := strconv.ParseUint(c.Param("id"), 10, 64)
		if err != nil || s.live.hasAttempt(uint(id)) {
			return next(c)
		}
		l, err := s.store.AttemptLease(c.Request().Context(), uint(id))
		switch {
		case errors.Is(err, store.ErrNotFound):
			return next(c)
		case err != nil:
			return err
		case l.NodeID == s.cfg.NodeID || l.NodeURL == s.cfg.NodeURL || !l.ExpiresAt.After(s.now()):
			return next(c)
		case l.NodeURL == "":
			return fmt.Errorf("attempt %d runs on node %q, which has no node URL to forward to: %w",
				id, l.NodeID, errCallElsewhere)
		}
		return s.proxy.forward(c, l)
	}
}

// nodeProxy forwards requests to other nodes. Its requests end when the
// server closes, so that a forwarded event stream does not hold a graceful
// shutdown open.
type nodeProxy struct {
	nodeID    string
	rp        *httputil.ReverseProxy
	transport *http.Transport
	ctx       context.Context
	cancel    context.CancelFunc
}

// forwarding is one forwarded request's state, reached by the proxy's hooks
// through the request's context.
type forwarding struct {
	target *url.URL
	out    http.Header // the response's headers as this node had set them
	err    error
}

type forwardingKey struct{}

func newNodeProxy(nodeID string, log *slog.Logger) *nodeProxy {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// A dead holder must fail fast: the client retries, and is served here
	// once the lease has expired.
	tr.DialContext = (&net.Dialer{Timeout: 3 * time.Second}).DialContext
	ctx, cancel := context.WithCancel(context.Background())
	p := &nodeProxy{nodeID: nodeID, transport: tr, ctx: ctx, cancel: cancel}
	p.rp = &httputil.ReverseProxy{
		Transport:     tr,
		FlushInterval: -1, // event streams go out as they come
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		Rewrite: func(pr *httputil.ProxyRequest) {
			f := pr.In.Context().Value(forwardingKey{}).(*forwarding)
			pr.SetURL(f.target)
			pr.SetXForwarded()
			pr.Out.Header.Set(hopHeader, nodeID)
		},
		ModifyResponse: func(resp *http.Response) error {
			// The holder sets the same security headers; twice would be
			// two values of one header.
			f := resp.Request.Context().Value(forwardingKey{}).(*forwarding)
			for k := range resp.Header {
				f.out.Del(k)
			}
			return nil
		},
		ErrorHandler: func(_ http.ResponseWriter, r *http.Request, err error) {
			r.Context().Value(forwardingKey{}).(*forwarding).err = err
		},
	}
	return p
}

// forward sends the request to the lease's node and copies the answer back.
// A holder that cannot be reached is a 503: it may have just died, and its
// lease expires within the TTL.
func (p *nodeProxy) forward(c echo.Context, l store.Lease) error {
	target, err := url.Parse(l.NodeURL)
	if err != nil {
		return fmt.Errorf("forward to node %q at %q: %v: %w", l.NodeID, l.NodeURL, err, errCallElsewhere)
	}
	in := c.Request()
	ctx, cancel := context.WithCancel(in.Context())
	defer cancel()
	stop := context.AfterFunc(p.ctx, cancel)
	defer stop()
	f := &forwarding{target: target, out: c.Response().Header()}
	req := in.Clone(context.WithValue(ctx, forwardingKey{}, f))
	restoreForm(req)
	p.rp.ServeHTTP(c.Response(), req)
	switch {
	case f.err == nil, c.Response().Committed:
		return nil
	case ctx.Err() != nil:
		return nil // the client left, or this server is closing
	}
	return fmt.Errorf("forward attempt %d to node %q at %s: %v: %w", l.AttemptID, l.NodeID, l.NodeURL, f.err, errCallElsewhere)
}

// restoreForm puts a form body back after the CSRF check has read it, so
// the holder receives the form (and checks the token again).
func restoreForm(req *http.Request) {
	ct := req.Header.Get(echo.HeaderContentType)
	if req.PostForm == nil || req.MultipartForm != nil || !strings.HasPrefix(ct, echo.MIMEApplicationForm) {
		return
	}
	body := req.PostForm.Encode()
	req.Body = io.NopCloser(strings.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
}

// close ends the forwarded requests in flight and the idle connections.
func (p *nodeProxy) close() {
	p.cancel()
	p.transport.CloseIdleConnections()
}
