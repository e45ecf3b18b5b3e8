package webui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator"
)

// minReportGap is the shortest time between two stored reports of a view:
// the page reports every second, so anything faster is a misbehaving page
// filling the table.
const minReportGap = 500 * time.Millisecond

// browserFigures are one stream's inbound-rtp figures, with the names of
// the webrtc-stats spec as getStats gives them.
type browserFigures struct {
	PacketsLost          int64   `json:"packetsLost"`
	PacketsReceived      uint64  `json:"packetsReceived"`
	Jitter               float64 `json:"jitter"`
	FramesPerSecond      float64 `json:"framesPerSecond"`
	FramesDropped        uint64  `json:"framesDropped"`
	FreezeCount          uint64  `json:"freezeCount"`
	TotalFreezesDuration float64 `json:"totalFreezesDuration"`
	FrameWidth           int     `json:"frameWidth"`
	FrameHeight          int     `json:"frameHeight"`
	NackCount            uint64  `json:"nackCount"`
	ConcealedSamples     uint64  `json:"concealedSamples"`
	TotalSamplesReceived uint64  `json:"totalSamplesReceived"`
}

func (f browserFigures) stat(kind store.MediaKind) store.CustomerViewStat {
	return store.CustomerViewStat{Kind: kind, PacketsLost: f.PacketsLost, PacketsReceived: f.PacketsReceived,
		Jitter: f.Jitter, FramesPerSecond: f.FramesPerSecond, FramesDropped: f.FramesDropped,
		FreezeCount: f.FreezeCount, TotalFreezesDuration: f.TotalFreezesDuration,
		FrameWidth: f.FrameWidth, FrameHeight: f.FrameHeight, NackCount: f.NackCount,
		ConcealedSamples: f.ConcealedSamples, TotalSamplesReceived: f.TotalSamplesReceived}
}

// customerReport is what customer_view.js posts every second.
type customerReport struct {
	ID    string         `json:"id"`
	Video browserFigures `json:"video"`
	Audio browserFigures `json:"audio"`
}

// customerReply carries the simulator's latest sample of the call, which
// the page shows beside the browser's figures; null while the call has
// none.
type customerReply struct {
	Simulator *simulator.Sample `json:"simulator"`
}

// stats stores the browser's own figures of the customer's view with the
// attempt and answers with the simulator's, so that the trainee compares
// what the page shows with what the monitoring says.
func (cv *customerViews) stats(c echo.Context) error {
	_, it, err := cv.s.openItemParam(c)
	if err != nil {
		return err
	}
	var r customerReport
	if err := json.NewDecoder(io.LimitReader(c.Request().Body, 16<<10)).Decode(&r); err != nil {
		return fmt.Errorf("customer view report: %v: %w", err, store.ErrInvalid)
	}
	v, err := cv.view(it.ID, r.ID)
	if err != nil {
		return err
	}
	now := cv.s.now()
	cv.mu.Lock()
	early := !v.lastReport.IsZero() && now.Sub(v.lastReport) < minReportGap
	if !early {
		v.lastReport = now
	}
	smp := v.sample
	cv.mu.Unlock()
	if early {
		return fmt.Errorf("customer view %s of item %d: reports closer than %v: %w", v.id, it.ID, minReportGap, errTooMany)
	}
	err = cv.s.store.RecordCustomerView(c.Request().Context(), it.ID,
		r.Video.stat(store.MediaVideo), r.Audio.stat(store.MediaAudio))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, customerReply{Simulator: smp})
}
