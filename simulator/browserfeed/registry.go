package browserfeed

import (
	"errors"
	"fmt"
	"sync"

	"github.com/rtcdrill/rtcdrill/simulator/impair"
)

// ErrNotFound is returned for a key with no live feed.
var ErrNotFound = errors.New("browserfeed: no live feed")

// Registry keeps the live feeds by a key (the web app uses the attempt
// item), one feed per key, so that the owner of the scenario's session can
// push each downlink change to the browser that shows it: on every change,
// call SetImpairment (and SetRendition when the media server's rendition
// changes) with the session's key, and ignore ErrNotFound, which only means
// nobody is watching.
//
// A feed that has closed is forgotten the next time its key is used, so
// the registry needs no goroutine of its own.
type Registry[K comparable] struct {
	mu     sync.Mutex
	feeds  map[K]*Feed
	closed bool
}

// NewRegistry returns an empty registry.
func NewRegistry[K comparable]() *Registry[K] {
	return &Registry[K]{feeds: map[K]*Feed{}}
}

// Add registers f under key. A feed already there is closed: a page opened
// again (a reload, a second tab) replaces the old view, so that one item
// never streams twice. After Close, Add refuses with ErrClosed and the
// caller keeps f.
func (r *Registry[K]) Add(key K, f *Feed) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return fmt.Errorf("registry: add: %w", ErrClosed)
	}
	old := r.feeds[key]
	r.feeds[key] = f
	r.mu.Unlock()
	if old != nil && old != f {
		if err := old.Close(); err != nil {
			return fmt.Errorf("registry: close the feed replaced: %w", err)
		}
	}
	return nil
}

// Get returns the live feed under key.
func (r *Registry[K]) Get(key K) (*Feed, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.feeds[key]
	if ok {
		select {
		case <-f.Done():
			delete(r.feeds, key)
			ok = false
		default:
		}
	}
	if !ok {
		return nil, fmt.Errorf("feed %v: %w", key, ErrNotFound)
	}
	return f, nil
}

// Remove forgets f if it is still the feed under key, without closing it.
func (r *Registry[K]) Remove(key K, f *Feed) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.feeds[key] == f {
		delete(r.feeds, key)
	}
}

// SetImpairment changes the impairment of the feed under key.
func (r *Registry[K]) SetImpairment(key K, c impair.Config) error {
	f, err := r.Get(key)
	if err != nil {
		return err
	}
	return f.SetImpairment(c)
}

// SetRendition switches the feed under key to another rendition at its
// next key frame.
func (r *Registry[K]) SetRendition(key K, name string) error {
	f, err := r.Get(key)
	if err != nil {
		return err
	}
	return f.SetRendition(name)
}

// Len is how many feeds are registered, closed ones not yet forgotten
// included.
func (r *Registry[K]) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.feeds)
}

// Close closes every feed, waits for them and refuses new ones. It is
// idempotent.
func (r *Registry[K]) Close() error {
	r.mu.Lock()
	r.closed = true
	feeds := r.feeds
	r.feeds = map[K]*Feed{}
	r.mu.Unlock()
	var errs []error
	for _, f := range feeds {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}
