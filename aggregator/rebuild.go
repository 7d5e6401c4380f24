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
// added oldest first, as they were first indexed (a story's first member
// anchors it). It also returns how many items it added. Reading and
// splitting headlines runs beside indexing them, on another core.
func RebuildIndex(ctx context.Context, st store.Store, opts dedupe.Options, now time.Time) (*dedupe.Index, int, error) {
	index, err := dedupe.NewIndex(opts)
	if err != nil {
		return nil, 0, err
	}
	// An item as the index reads it, its headline split into words.
	type split struct {
		source, guid, story, url string
		summary                  string
		published, fetched       time.Time
		words                    []string
	}
	const batchSize = 512
	batches := make(chan []split, 4)
	done := make(chan int)
	go func() {
		n := 0
		for batch := range batches {
			for _, s := range batch {
				it := news.Item{Source: s.source, GUID: s.guid, Story: s.story, URL: s.url, Summary: s.summary, Published: s.published, Fetched: s.fetched}
				index.AddWords(&it, s.words)
			}
			n += len(batch)
		}
		done <- n
	}()
	norm := index.Normalizer()
	batch := make([]split, 0, batchSize)
	err = st.RecentItems(ctx, now.Add(-index.Window()), dedupe.SummaryPrefix, func(it *news.Item) {
		batch = append(batch, split{source: it.Source, guid: it.GUID, story: it.Story, url: it.URL, summary: it.Summary,
			published: it.Published, fetched: it.Fetched, words: norm.Words(it.Title)})
		if len(batch) == batchSize {
			batches <- batch
			batch = make([]split, 0, batchSize)
		}
	})
	batches <- batch
	close(batches)
	n := <-done
	if err != nil {
		return nil, 0, err
	}
	return index, n, nil
}
