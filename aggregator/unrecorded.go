package aggregator

import (
	"fmt"
	"sync"
	"time"

	"tributary/news"
)

// unrecorded remembers what the store could not take (a full disk, say):
// the failure state of each poll it could not record, so the next poll
// still backs off as if it had been, and the last failed write, so
// readiness says the store is failing until a poll is stored again.
type unrecorded struct {
	mu     sync.Mutex
	states map[string]news.FetchState // by source
	err    error                      // the last poll the store failed to take
	since  time.Time                  // when the store began failing
}

func newUnrecorded() *unrecorded { return &unrecorded{states: map[string]news.FetchState{}} }

// state returns the source's state: the one the store could not record,
// if any, being newer than what the store holds.
func (u *unrecorded) state(source string, stored news.FetchState) news.FetchState {
	u.mu.Lock()
	defer u.mu.Unlock()
	if st, ok := u.states[source]; ok {
		return st
	}
	return stored
}

// storeFailed notes a poll the store could not take.
func (u *unrecorded) storeFailed(err error, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.err == nil {
		u.since = now
	}
	u.err = err
}

// hold keeps a failure state the store could not record.
func (u *unrecorded) hold(source string, st news.FetchState, err error, now time.Time) {
	u.storeFailed(err, now)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.states[source] = st
}

// recorded notes that the source's state is in the store again.
func (u *unrecorded) recorded(source string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.states, source)
}

// stored notes a poll stored whole: the store takes writes again.
func (u *unrecorded) stored(source string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.states, source)
	u.err = nil
}

// health returns nil, or why polls are not being stored.
func (u *unrecorded) health() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.err == nil {
		return nil
	}
	return fmt.Errorf("polls not stored since %s: %w", u.since.UTC().Format(time.RFC3339), u.err)
}
