package aggregator

import (
	"context"
	"testing"
	"time"

	"tributary/dedupe"
	"tributary/fetch"
	"tributary/store"
)

// Helpers shared by the package's internal and external tests, defined
// once (net/http's export_test.go pattern).

// MustIndex returns an empty dedupe index with the default options.
func MustIndex(t testing.TB) *dedupe.Index {
	t.Helper()
	x, err := dedupe.NewIndex(dedupe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// Fetcher returns a fetcher for tests reading the clock now (time.Now
// when nil): 1 MiB bodies unless maxBody says otherwise. Loopback test
// servers are reached as sources naming them.
func Fetcher(maxBody int64, now func() time.Time) *fetch.Fetcher {
	if maxBody == 0 {
		maxBody = 1 << 20
	}
	return fetch.New(fetch.Options{UserAgent: "test", MaxBody: maxBody, Concurrency: 16, PerHost: 16, Now: now})
}

// IndexLen returns how many items the aggregator's dedupe index holds.
func (a *Aggregator) IndexLen() int { return a.index.Len() }

// FileMoved returns the filings fileStories makes for moves alone, as
// Settle writes them.
func (a *Aggregator) FileMoved(ctx context.Context, moves []store.Move) ([]store.Filing, error) {
	p := &store.Poll{Moves: moves}
	err := a.fileStories(ctx, *a.topics.Load(), p, nil, map[string]bool{})
	return p.Refiled, err
}
