package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiItemLog is the call's log so far, as the page shows it.
func (s *Server) apiItemLog(c echo.Context) error {
	_, _, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	lc, err := s.live.acquire(c.Request().Context(), spec)
	if err != nil {
		return err
	}
	defer s.live.release(lc)
	events := traineeLog(lc.sess.Log())
	out := make([]logJSON, len(events))
	for i, e := range events {
		out[i] = logJSON{At: e.Offset.Seconds(), Clock: clockText(e.Offset), Peer: e.Peer, Kind: e.Kind, Message: e.Message}
	}
	return c.JSON(http.StatusOK, map[string]any{"events": out})
}
