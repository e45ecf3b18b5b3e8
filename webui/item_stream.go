package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/simulator"
)

// streamBacklog is how many past samples a new stream starts with: enough
// for the charts' window after a reload.
const streamBacklog = 120

// itemStream sends the item's live call as server-sent events, one batch a
// second: "sample" (a simulator.Sample), "log" (new log lines), "clock"
// (seconds left, by the server's clock) and a final "end" with the reason
// (expired, or closed when the call stopped). Only what the call shows a
// support agent goes out — never the engine's verdict.
func (s *Server) itemStream(c echo.Context) error {
	a, _, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lc, err := s.live.acquire(ctx, spec)
	if err != nil {
		return err
	}
	defer s.live.release(lc)
	samples, cancel := lc.sess.Subscribe()
	defer cancel()

	resp := c.Response()
	resp.Header().Set(echo.HeaderContentType, "text/event-stream")
	resp.Header().Set("Cache-Control", "no-store")
	resp.Header().Set("X-Accel-Buffering", "no")
	resp.WriteHeader(http.StatusOK)
	st := &eventStream{w: resp}
	series := lc.sess.Series()
	for _, smp := range series[max(0, len(series)-streamBacklog):] {
		st.sample(smp)
	}
	st.logs(traineeLog(lc.sess.Log()))
	st.clock(s, a)
	heartbeat := time.NewTicker(15 * time.Second)
	defer heartbeat.Stop()
	for st.err == nil {
		select {
		case <-ctx.Done():
			return nil
		case <-heartbeat.C:
			st.comment("keep-alive")
		case smp, ok := <-samples:
			if !ok {
				st.send("end", map[string]string{"reason": "closed"})
				return nil
			}
			st.sample(smp)
			st.logs(traineeLog(lc.sess.Log()))
			if a.Expired(s.now()) {
				if err := s.expireAttempt(context.WithoutCancel(ctx), a.ID); err != nil {
					s.log.Error("expire attempt from stream", "attempt", a.ID, "error", err)
				}
				st.send("end", map[string]string{"reason": "expired"})
				return nil
			}
			st.clock(s, a)
		}
	}
	return nil
}

// eventStream writes server-sent events; after the first write error (the
// client left) it writes nothing more.
type eventStream struct {
	w       *echo.Response
	err     error
	last    float64 // timestamp of the newest sample sent
	logSent int
}

func (st *eventStream) send(event string, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		return // a sample with NaN in it: skip it, the next one comes in a second
	}
	st.write(fmt.Sprintf("event: %s\ndata: %s\n\n", event, data))
}

func (st *eventStream) comment(text string) { st.write(": " + text + "\n\n") }

func (st *eventStream) write(text string) {
	if st.err != nil {
		return
	}
	if _, st.err = st.w.Write([]byte(text)); st.err == nil {
		st.w.Flush()
	}
}

// sample sends a sample unless it was already sent: the backlog and the
// subscription can overlap by one.
func (st *eventStream) sample(smp simulator.Sample) {
	if st.last > 0 && smp.Timestamp <= st.last {
		return
	}
	st.last = smp.Timestamp
	st.send("sample", smp)
}

// logs sends the log lines not sent yet.
func (st *eventStream) logs(events []simulator.Event) {
	if len(events) < st.logSent {
		st.logSent = 0 // the log was trimmed at its cap: start over from what is kept
	}
	for _, e := range events[st.logSent:] {
		st.send("log", logJSON{At: e.Offset.Seconds(), Clock: clockText(e.Offset), Peer: e.Peer, Kind: e.Kind, Message: e.Message})
	}
	st.logSent = len(events)
}

// clock sends the seconds left; null for an untimed attempt.
func (st *eventStream) clock(s *Server, a examAttempt) {
	var left *int
	if d, ok := a.Remaining(s.now()); ok {
		n := int(d / time.Second)
		left = &n
	}
	st.send("clock", map[string]*int{"remaining_seconds": left})
}

// logJSON is one log line as the stream and the API send it.
type logJSON struct {
	At      float64 `json:"at_seconds"`
	Clock   string  `json:"at"`
	Peer    string  `json:"peer"`
	Kind    string  `json:"kind"`
	Message string  `json:"message"`
}
