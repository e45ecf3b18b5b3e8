package webui

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/rtcdrill/rtcdrill/internal/store"
	"github.com/rtcdrill/rtcdrill/simulator"
	"github.com/rtcdrill/rtcdrill/simulator/browserfeed"
	"github.com/rtcdrill/rtcdrill/simulator/encoder"
)

// followEvery is how often a customer view looks for its item's call when
// the call is not running (not started yet, or stopped while idle).
const followEvery = 500 * time.Millisecond

// customerViews runs the customer's view of the exam items: one browser
// feed per item, and one per attempt (opening another item's view hangs up
// the first), at most MaxLiveCalls in all, as each is a Pion peer.
//
// Each view follows its item's live call: whenever the call's downlink or
// the media server's rendition changes, the feed changes with it. The feeds
// registry is the hook for pushing instead: feeds.SetImpairment(itemID, c)
// reaches the item's view, if any.
//
// The views' goroutines count in the Server's wait group and their context
// is one of its cancels, so Server.Close hangs up every view and waits.
type customerViews struct {
	s     *Server
	ctx   context.Context
	feeds *browserfeed.Registry[uint]

	mu     sync.Mutex
	views  map[uint]*customerView // by attempt item id
	nextID uint64
}

// customerView is one browser's view of one item. sample and lastReport are
// guarded by customerViews.mu.
type customerView struct {
	id        string
	attemptID uint
	itemID    uint
	feed      *browserfeed.Feed

	sample     *simulator.Sample // the call's latest, sent back with each report
	lastReport time.Time
}

func newCustomerViews(s *Server) *customerViews {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.cancels = append(s.cancels, cancel)
	s.mu.Unlock()
	return &customerViews{s: s, ctx: ctx, feeds: browserfeed.NewRegistry[uint](), views: map[uint]*customerView{}}
}

// newID names a view, so that a late report or hang-up from a replaced
// page cannot reach its successor.
func (cv *customerViews) newID() string {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	cv.nextID++
	return strconv.FormatUint(cv.nextID, 10)
}

// start registers a connected feed as the item's view and follows the
// item's call until the feed ends. On error the caller still owns feed.
func (cv *customerViews) start(v *customerView) error {
	cv.s.mu.Lock()
	if cv.s.closed {
		cv.s.mu.Unlock()
		return errLiveClosed
	}
	cv.s.wg.Add(1)
	cv.s.mu.Unlock()

	cv.mu.Lock()
	var others []*customerView
	for _, o := range cv.views {
		if o.attemptID == v.attemptID && o.itemID != v.itemID {
			others = append(others, o)
		}
	}
	cv.views[v.itemID] = v
	cv.mu.Unlock()
	for _, o := range others {
		if err := o.feed.Close(); err != nil {
			cv.s.log.Warn("close customer view", slog.Uint64("item", uint64(o.itemID)), slog.Any("error", err))
		}
	}
	if err := cv.feeds.Add(v.itemID, v.feed); err != nil {
		cv.s.log.Warn("replace customer view", slog.Uint64("item", uint64(v.itemID)), slog.Any("error", err))
	}
	go cv.run(v)
	return nil
}

// run follows the item's call for as long as the feed lives, then forgets
// the view.
func (cv *customerViews) run(v *customerView) {
	defer cv.s.wg.Done()
	t := time.NewTicker(followEvery)
	defer t.Stop()
	for ended := false; !ended; {
		if lc, ok := cv.s.live.running(v.itemID); ok {
			cv.followCall(lc, v)
		}
		select {
		case <-v.feed.Done():
			ended = true
		case <-t.C:
		}
	}
	if err := v.feed.Close(); err != nil {
		cv.s.log.Warn("close customer view", slog.Uint64("item", uint64(v.itemID)), slog.Any("error", err))
	}
	cv.feeds.Remove(v.itemID, v.feed)
	cv.mu.Lock()
	if cv.views[v.itemID] == v {
		delete(cv.views, v.itemID)
	}
	cv.mu.Unlock()
}

// followCall applies the call's downlink and rendition to the feed now and
// after every sample, until the call stops or the feed ends.
func (cv *customerViews) followCall(lc *liveCall, v *customerView) {
	samples, cancel := lc.sess.Subscribe()
	defer cancel()
	cv.apply(lc, v, nil)
	for {
		select {
		case <-v.feed.Done():
			return
		case smp, ok := <-samples:
			if !ok {
				return
			}
			cv.apply(lc, v, &smp)
		}
	}
}

// apply makes the feed's network and picture match the call's.
func (cv *customerViews) apply(lc *liveCall, v *customerView, smp *simulator.Sample) {
	down := lc.sess.Call().Impairment(simulator.Downlink)
	if !reflect.DeepEqual(down, v.feed.Impairment()) {
		if err := v.feed.SetImpairment(down); err != nil {
			cv.s.log.Warn("customer view impairment", slog.Uint64("item", uint64(v.itemID)), slog.Any("error", err))
		}
	}
	if smp == nil {
		return
	}
	cv.mu.Lock()
	v.sample = smp
	cv.mu.Unlock()
	if name := renditionOf(smp.FrameHeight); name != "" && name != v.feed.Rendition() {
		if err := v.feed.SetRendition(name); err != nil {
			cv.s.log.Warn("customer view rendition", slog.Uint64("item", uint64(v.itemID)), slog.Any("error", err))
		}
	}
}

// renditionOf names the ladder rung of a frame height, or "" for none
// (no frame yet).
func renditionOf(height int) string {
	for _, r := range encoder.Renditions() {
		if r.Height == height {
			return r.Name
		}
	}
	return ""
}

// view returns the item's view if its id matches.
func (cv *customerViews) view(itemID uint, id string) (*customerView, error) {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	v, ok := cv.views[itemID]
	if !ok || v.id != id {
		return nil, fmt.Errorf("customer view %q of item %d: %w", id, itemID, store.ErrNotFound)
	}
	return v, nil
}

// count is how many views are live.
func (cv *customerViews) count() int {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	return len(cv.views)
}
