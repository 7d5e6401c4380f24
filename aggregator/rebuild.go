package aggregator

import (
	"context"
	"time"

	"tributary/dedupe"
	"tributary/news"
)

// IndexStore is what rebuilding the dedupe index needs from the store.
type IndexStore interface {
	// RecentItems calls fn for every item published or first fetched at
	// or after since, oldest first by published time.
	RecentItems(ctx context.Context, since time.Time, fn func(*news.Item)) error
}

// RebuildIndex returns a dedupe index holding the store's window at now:
// the items published or first fetched within the window before it,
// added oldest first, as they were first indexed (a story's first member
// anchors it). It also returns how many items it added.
func RebuildIndex(ctx context.Context, st IndexStore, opts dedupe.Options, now time.Time) (*dedupe.Index, int, error) {
	index, err := dedupe.NewIndex(opts)
	if err != nil {
		return nil, 0, err
	}
	n := 0
	err = st.RecentItems(ctx, now.Add(-index.Window()), func(it *news.Item) {
		index.Add(it)
		n++
	})
	if err != nil {
		return nil, 0, err
	}
	return index, n, nil
}
