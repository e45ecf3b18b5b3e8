package webui

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// itemCapture downloads the live call's recent RTP and RTCP, as the
// customer's app saw them before encryption, as a pcap file for Wireshark
// (decode UDP ports 50000 and 50002 as RTP).
func (s *Server) itemCapture(c echo.Context) error {
	a, it, spec, err := s.openItemCall(c)
	if err != nil {
		return err
	}
	lc, err := s.live.acquire(c.Request().Context(), spec)
	if err != nil {
		return err
	}
	defer s.live.release(lc)
	var buf bytes.Buffer
	if err := lc.sess.Call().WritePCAP(&buf); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="rtcdrill-attempt%d-item%d.pcap"`, a.ID, it.Position))
	return c.Blob(http.StatusOK, "application/vnd.tcpdump.pcap", buf.Bytes())
}
