package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
)

// MediaKind names the stream a customer-view report describes.
type MediaKind string

// The media kinds of a customer-view report.
const (
	MediaVideo MediaKind = "video"
	MediaAudio MediaKind = "audio"
)

// CustomerViewStat is one stream's inbound-rtp figures as the trainee's
// browser reported them (webrtc-stats names), taken every second while the
// customer's view plays, so that a review can set what the trainee saw and
// heard beside what the simulator measured. Counters are cumulative, as
// getStats gives them; the figures of the other kind stay zero.
type CustomerViewStat struct {
	ID            uint `gorm:"primaryKey"`
	AttemptItemID uint
	At            time.Time
	Kind          MediaKind

	PacketsLost          int64 // may be negative: duplicates count as received
	PacketsReceived      uint64
	Jitter               float64 // seconds
	FramesPerSecond      float64
	FramesDropped        uint64
	FreezeCount          uint64
	TotalFreezesDuration float64 // seconds
	FrameWidth           int
	FrameHeight          int
	NackCount            uint64
	ConcealedSamples     uint64
	TotalSamplesReceived uint64
}

// schemaCustomerView adds the browser's own figures of the customer's view.
func schemaCustomerView() []string {
	return []string{
		`CREATE TABLE customer_view_stats (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			attempt_item_id INTEGER NOT NULL REFERENCES attempt_items(id) ON DELETE CASCADE,
			at DATETIME NOT NULL,
			kind TEXT NOT NULL CHECK (kind IN ('video', 'audio')),
			packets_lost INTEGER NOT NULL DEFAULT 0,
			packets_received INTEGER NOT NULL DEFAULT 0 CHECK (packets_received >= 0),
			jitter REAL NOT NULL DEFAULT 0 CHECK (jitter >= 0),
			frames_per_second REAL NOT NULL DEFAULT 0 CHECK (frames_per_second >= 0),
			frames_dropped INTEGER NOT NULL DEFAULT 0 CHECK (frames_dropped >= 0),
			freeze_count INTEGER NOT NULL DEFAULT 0 CHECK (freeze_count >= 0),
			total_freezes_duration REAL NOT NULL DEFAULT 0 CHECK (total_freezes_duration >= 0),
			frame_width INTEGER NOT NULL DEFAULT 0 CHECK (frame_width >= 0),
			frame_height INTEGER NOT NULL DEFAULT 0 CHECK (frame_height >= 0),
			nack_count INTEGER NOT NULL DEFAULT 0 CHECK (nack_count >= 0),
			concealed_samples INTEGER NOT NULL DEFAULT 0 CHECK (concealed_samples >= 0),
			total_samples_received INTEGER NOT NULL DEFAULT 0 CHECK (total_samples_received >= 0))`,
		`CREATE INDEX customer_view_stats_item ON customer_view_stats(attempt_item_id, id)`,
	}
}

// validate rejects figures no browser reports, which the table's checks
// would refuse less readably.
func (c CustomerViewStat) validate() error {
	if c.Kind != MediaVideo && c.Kind != MediaAudio {
		return fmt.Errorf("kind %q", c.Kind)
	}
	for name, v := range map[string]float64{"jitter": c.Jitter, "framesPerSecond": c.FramesPerSecond,
		"totalFreezesDuration": c.TotalFreezesDuration} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s %g", name, v)
		}
	}
	if c.FrameWidth < 0 || c.FrameHeight < 0 {
		return fmt.Errorf("frame size %dx%d", c.FrameWidth, c.FrameHeight)
	}
	// SQLite integers are signed 64-bit.
	for name, v := range map[string]uint64{"packetsReceived": c.PacketsReceived, "framesDropped": c.FramesDropped,
		"freezeCount": c.FreezeCount, "nackCount": c.NackCount, "concealedSamples": c.ConcealedSamples,
		"totalSamplesReceived": c.TotalSamplesReceived} {
		if v > math.MaxInt64 {
			return fmt.Errorf("%s %d", name, v)
		}
	}
	return nil
}

// RecordCustomerView stores one report of the browser's figures (a row per
// stream) on an in-progress item. A zero At means now.
func (s *Store) RecordCustomerView(ctx context.Context, itemID uint, stats ...CustomerViewStat) error {
	if len(stats) == 0 {
		return nil
	}
	now := s.nowUTC()
	rows := make([]CustomerViewStat, len(stats))
	for i, c := range stats {
		if err := c.validate(); err != nil {
			return fmt.Errorf("record customer view of item %d: %w: %w", itemID, err, ErrInvalid)
		}
		c.ID, c.AttemptItemID = 0, itemID
		if c.At.IsZero() {
			c.At = now
		}
		c.At = dbTime(c.At)
		rows[i] = c
	}
	err := s.inProgressItem(ctx, itemID, func(tx *gorm.DB, _ *AttemptItem) error {
		return tx.Create(&rows).Error
	})
	if err != nil {
		return fmt.Errorf("record customer view: %w", err)
	}
	return nil
}

// CustomerView lists an item's stored browser figures in the order they
// were reported.
func (s *Store) CustomerView(ctx context.Context, itemID uint) ([]CustomerViewStat, error) {
	var out []CustomerViewStat
	err := s.db.WithContext(ctx).Where("attempt_item_id = ?", itemID).Order("id").Find(&out).Error
	return out, dbErr(err, "customer view of item %d", itemID)
}
