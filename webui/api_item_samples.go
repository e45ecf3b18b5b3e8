package webui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// apiItemSamples is the polling form of the stream: the samples taken
// after ?since= (a sample timestamp in seconds; 0 or none for all), waiting
// for the call to connect first. Poll once a second with the last
// timestamp seen.
func (s *Server) apiItemSamples(c echo.Context) error {
	since := 0.0
	if v := c.QueryParam("since"); v != "" {
		var err error
		if since, err = strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("since %q: %w", v, store.ErrInvalid)
		}
	}
	_, _, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	lc, err := s.live.acquire(c.Request().Context(), spec)
	if err != nil {
		return err
	}
	defer s.live.release(lc)
	out := struct {
		Samples []simulator.Sample `json:"samples"`
		Last    float64            `json:"last"`
	}{Samples: []simulator.Sample{}, Last: since}
	for _, smp := range lc.sess.Series() {
		if _, err := json.Marshal(smp); err != nil {
			continue // NaN somewhere: JSON has no such number; the next second will do
		}
		if smp.Timestamp > since {
			out.Samples = append(out.Samples, smp)
			out.Last = smp.Timestamp
		}
	}
	return c.JSON(http.StatusOK, out)
}
