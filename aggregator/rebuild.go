package aggregator

import (
	"context"
	"time"

	"tributary/dedupe"
	"tributary/news"
	"tributary/store"
)

// RebuildIndex returns a dedupe index holding the store's window at now:
// the items published or first fetched within the window before it,
// added in the order they were stored, with the stories the store holds;
// those first fetched a settle period before now count as settled.
// It also returns how many items it added.
func RebuildIndex(ctx context.Context, st store.Store, opts dedupe.Options, now time.Time) (*dedupe.Index, int, error) {
	index, err := dedupe.NewIndex(opts)
	if err != nil {
		return nil, 0, err
	}
	n := 0
	err = st.RecentItems(ctx, now.Add(-index.Window()), dedupe.TextChars, func(it *news.Item) {
		index.Add(it)
		n++
	})
	if err != nil {
		return nil, 0, err
	}
	index.SettleAt(now) // decided for good before: not decided again
	return index, n, nil
}
