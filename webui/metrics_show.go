package webui

import (
	"github.com/labstack/echo/v4"
)

// metricsShow answers a Prometheus scrape in the text exposition format
// (or OpenMetrics/protobuf when the scraper asks for it).
func (s *Server) metricsShow(c echo.Context) error {
	return s.metrics.handler(c)
}
