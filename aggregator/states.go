package aggregator

import (
	"fmt"
	"sync"
	"time"

	"tributary/news"
)

// sourceStates remembers each source's fetch state as this process last
// wrote it, or tried to: a failure the store could not take (a full disk)
// is remembered all the same, so the next poll backs off as if it had been
// recorded. A source's state is read from the store once: on SQLite only
// this process writes the store (it holds the state directory's lock);
// on a store replicas share, each claim (store.Leaser) returns the state
// as stored and replaces what is remembered here. It also keeps the last
// poll the store failed to take, for readiness.
type sourceStates struct {
	mu     sync.Mutex
	states map[string]news.FetchState // by source
	err    error                      // the last poll the store failed to take, nil once one is stored
	since  time.Time                  // when the store began failing
}

func newSourceStates() *sourceStates { return &sourceStates{states: map[string]news.FetchState{}} }

// get returns the state last written for source, if this process wrote one.
func (s *sourceStates) get(source string) (news.FetchState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.states[source]
	return st, ok
}

// set remembers source's state as written, or as it would have been.
func (s *sourceStates) set(source string, st news.FetchState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[source] = st
}

// storeFailed notes a poll the store could not take.
func (s *sourceStates) storeFailed(err error, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.since = now
	}
	s.err = err
}

// stored notes a poll stored whole: the store takes writes again.
func (s *sourceStates) stored() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = nil
}

// health returns nil, or why polls are not being stored.
func (s *sourceStates) health() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		return nil
	}
	return fmt.Errorf("polls not stored since %s: %w", s.since.UTC().Format(time.RFC3339), s.err)
}
