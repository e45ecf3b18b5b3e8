package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Lease is a node's claim to run an attempt's live call. Only the holder
// runs the call; other nodes forward the call's requests to NodeURL, and
// take the lease over once ExpiresAt has passed without a renewal.
type Lease struct {
	AttemptID uint `gorm:"primaryKey;autoIncrement:false"`
	NodeID    string
	NodeURL   string
	ExpiresAt time.Time
	UpdatedAt time.Time
}

// TableName is the lease table's name.
func (Lease) TableName() string { return "attempt_leases" }

// LeaseHeldError reports that another node holds a live lease on the
// attempt; Holder says which, and where to reach it. It is an ErrConflict.
type LeaseHeldError struct {
	Holder Lease
}

// Error names the holder and until when it holds the lease.
func (e *LeaseHeldError) Error() string {
	return fmt.Sprintf("attempt %d is leased to node %q until %s",
		e.Holder.AttemptID, e.Holder.NodeID, e.Holder.ExpiresAt.UTC().Format(time.RFC3339))
}

// Unwrap makes the error an ErrConflict.
func (e *LeaseHeldError) Unwrap() error { return ErrConflict }

// acquireLeaseSQL is one statement both SQLite and PostgreSQL accept, so
// that taking a lease is atomic without a transaction: the row is written
// when there is none, when it has expired, when it is already the node's
// own (a renewal), or when it was taken under the same node URL — only one
// process listens on an address, so that holder is a previous life of this
// node (a single node restarted after a crash resumes at once instead of
// after the TTL). Otherwise nothing changes and no row counts.
const acquireLeaseSQL = `INSERT INTO attempt_leases (attempt_id, node_id, node_url, expires_at, updated_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (attempt_id) DO UPDATE SET node_id = excluded.node_id, node_url = excluded.node_url,
	expires_at = excluded.expires_at, updated_at = excluded.updated_at
WHERE attempt_leases.expires_at < ? OR attempt_leases.node_id = ? OR attempt_leases.node_url = ?`

// AcquireLease claims an attempt for a node for ttl. It succeeds when the
// attempt has no lease, when its lease has expired, or when it is held by
// the node or under the node's URL (which renews it; nodes without a URL
// count as one node, as a single node runs); otherwise it is a
// *LeaseHeldError naming the holder.
func (s *Store) AcquireLease(ctx context.Context, attemptID uint, nodeID, nodeURL string, ttl time.Duration) (Lease, error) {
	if err := checkLeaseArgs(nodeID, ttl); err != nil {
		return Lease{}, fmt.Errorf("acquire lease on attempt %d: %w", attemptID, err)
	}
	// A lease released between the failed insert and the read of its
	// holder is gone by then; trying again wins it.
	for range 3 {
		now := s.nowUTC()
		l := Lease{AttemptID: attemptID, NodeID: nodeID, NodeURL: nodeURL, ExpiresAt: now.Add(ttl), UpdatedAt: now}
		res := s.db.WithContext(ctx).Exec(acquireLeaseSQL,
			l.AttemptID, l.NodeID, l.NodeURL, l.ExpiresAt, l.UpdatedAt, now, nodeID, nodeURL)
		if res.Error != nil {
			return Lease{}, dbErr(res.Error, "acquire lease on attempt %d", attemptID)
		}
		if res.RowsAffected > 0 {
			return l, nil
		}
		holder, err := s.AttemptLease(ctx, attemptID)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return Lease{}, fmt.Errorf("acquire: %w", err)
		}
		return Lease{}, &LeaseHeldError{Holder: holder}
	}
	return Lease{}, fmt.Errorf("acquire lease on attempt %d: released and taken again three times: %w",
		attemptID, ErrConflict)
}

// RenewLeases extends every lease a node holds by ttl, in one statement,
// and returns the attempts it still holds: a lease the node believed it had
// and that is missing here was taken over by another node after it expired.
func (s *Store) RenewLeases(ctx context.Context, nodeID string, ttl time.Duration) ([]uint, error) {
	if err := checkLeaseArgs(nodeID, ttl); err != nil {
		return nil, fmt.Errorf("renew leases of node %q: %w", nodeID, err)
	}
	now := s.nowUTC()
	var ids []uint
	err := s.db.WithContext(ctx).Raw(
		`UPDATE attempt_leases SET expires_at = ?, updated_at = ? WHERE node_id = ? RETURNING attempt_id`,
		now.Add(ttl), now, nodeID).Scan(&ids).Error
	if err != nil {
		return nil, dbErr(err, "renew leases of node %q", nodeID)
	}
	return ids, nil
}

// ReleaseLease gives up a node's lease on an attempt, as its call stops. A
// lease the node does not hold (any more) is ErrNotFound and stays as it is.
func (s *Store) ReleaseLease(ctx context.Context, attemptID uint, nodeID string) error {
	res := s.db.WithContext(ctx).Where("attempt_id = ? AND node_id = ?", attemptID, nodeID).Delete(&Lease{})
	if res.Error != nil {
		return dbErr(res.Error, "release lease on attempt %d", attemptID)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("release lease on attempt %d by node %q: %w", attemptID, nodeID, ErrNotFound)
	}
	return nil
}

// AttemptLease returns the attempt's lease, expired or not; an attempt whose
// call runs nowhere has none (ErrNotFound).
func (s *Store) AttemptLease(ctx context.Context, attemptID uint) (Lease, error) {
	var l Lease
	err := s.db.WithContext(ctx).Where("attempt_id = ?", attemptID).First(&l).Error
	return l, dbErr(err, "lease on attempt %d", attemptID)
}

// ExpiredLeases lists the leases nobody renewed in time whose attempt is
// still in progress, oldest first: calls of nodes that died, for the
// living nodes to resume.
func (s *Store) ExpiredLeases(ctx context.Context) ([]Lease, error) {
	var ls []Lease
	err := s.db.WithContext(ctx).
		Where("expires_at < ? AND attempt_id IN (SELECT id FROM attempts WHERE status = ?)",
			s.nowUTC(), StatusInProgress).
		Order("expires_at").Find(&ls).Error
	return ls, dbErr(err, "expired leases")
}

func checkLeaseArgs(nodeID string, ttl time.Duration) error {
	switch {
	case nodeID == "":
		return fmt.Errorf("empty node id: %w", ErrInvalid)
	case ttl <= 0:
		return fmt.Errorf("lease ttl %v: %w", ttl, ErrInvalid)
	}
	return nil
}
