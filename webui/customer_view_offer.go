package webui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/browserfeed"
)

// maxOfferSDP bounds an offer: Chromium's two-transceiver offer is about
// 5 KB, so anything near this is not a browser's.
const maxOfferSDP = 64 << 10

// answerTimeout bounds building the answer, ICE gathering included.
const answerTimeout = 15 * time.Second

// customerSDP is an offer or an answer as customer_view.js exchanges them;
// ID names the view in the answer.
type customerSDP struct {
	ID   string `json:"id,omitempty"`
	Type string `json:"type"`
	SDP  string `json:"sdp"`
}

// offer connects the trainee's browser to the item's call as the
// customer sees it: it answers the page's offer with a feed that starts
// from the call's current downlink and rendition, in the page's language.
func (cv *customerViews) offer(c echo.Context) error {
	a, it, err := cv.s.openItemParam(c)
	if err != nil {
		return err
	}
	var o customerSDP
	if err := json.NewDecoder(io.LimitReader(c.Request().Body, 2*maxOfferSDP)).Decode(&o); err != nil {
		return fmt.Errorf("customer view offer: %v: %w", err, store.ErrInvalid)
	}
	if o.Type != "offer" || strings.TrimSpace(o.SDP) == "" || len(o.SDP) > maxOfferSDP {
		return fmt.Errorf("customer view offer: type %q, %d bytes: %w", o.Type, len(o.SDP), store.ErrInvalid)
	}
	if cv.busy(a.ID) {
		return errBusy
	}
	id := cv.newID()
	opts := []browserfeed.Option{
		browserfeed.WithLanguage(cv.s.locale(c).Lang),
		browserfeed.WithRand(rand.New(rand.NewPCG(uint64(it.VariantSeed), uint64(it.ID)))),
		browserfeed.WithLogger(cv.s.log),
		browserfeed.WithICEAddresses(cv.s.cfg.ICEAddresses...),
	}
	if lc, ok := cv.s.live.running(it.ID); ok {
		opts = append(opts, browserfeed.WithImpairment(lc.sess.Call().Impairment(simulator.Downlink)))
		if last, ok := lc.sess.Latest(); ok {
			if name := renditionOf(last.FrameHeight); name != "" {
				opts = append(opts, browserfeed.WithRendition(name))
			}
		}
	}
	feed, err := browserfeed.New(cv.ctx, opts...)
	if err != nil {
		return fmt.Errorf("customer view of item %d: %w", it.ID, err)
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), answerTimeout)
	defer cancel()
	answer, err := feed.Answer(ctx, o.SDP)
	if err != nil {
		err = errors.Join(err, feed.Close())
		if ctx.Err() == nil {
			err = fmt.Errorf("%w: %w", err, store.ErrInvalid) // the offer was refused
		}
		return fmt.Errorf("customer view of item %d: %w", it.ID, err)
	}
	if err := cv.start(&customerView{id: id, attemptID: a.ID, itemID: it.ID, feed: feed}); err != nil {
		return errors.Join(err, feed.Close())
	}
	return c.JSON(http.StatusOK, customerSDP{ID: id, Type: "answer", SDP: answer})
}

// busy tells whether a new view of the attempt would exceed the limit; a
// view replacing one of the same attempt does not count.
func (cv *customerViews) busy(attemptID uint) bool {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	for _, v := range cv.views {
		if v.attemptID == attemptID {
			return false
		}
	}
	return len(cv.views) >= cv.s.cfg.MaxLiveCalls
}

// hangUp ends a view when its page goes away (navigator.sendBeacon, with
// the view's id and the CSRF token as form fields). It works on submitted
// items too: submitting is one way of leaving the page.
func (cv *customerViews) hangUp(c echo.Context) error {
	_, it, err := cv.s.attemptItemParam(c)
	if err != nil {
		return err
	}
	v, err := cv.view(it.ID, c.FormValue("id"))
	if err != nil {
		return err
	}
	if err := v.feed.Close(); err != nil {
		return fmt.Errorf("hang up customer view of item %d: %w", it.ID, err)
	}
	return c.NoContent(http.StatusNoContent)
}
