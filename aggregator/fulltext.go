package aggregator

import (
	"context"
	"log/slog"
	"time"

	"tributary/fetch"
	"tributary/news"
)

// fullTextJob is an item whose article page is to be fetched.
type fullTextJob struct {
	src  news.Source
	item news.Item // ID, Link, Hash, Topics
}

// fullTextQueue bounds the items waiting for extraction in memory; past
// it, an item waits in the store (Store.FullTextQueue) until the queue
// runs dry.
const fullTextQueue = 1000

// requeueEvery is how often the extractor, with nothing to do, looks in
// the store for items waiting past the queue's length.
const requeueEvery = time.Minute

// queueFullText hands a poll's new and edited items of a full-text source
// to the extractor, without waiting: a poll never waits for articles.
func (a *Aggregator) queueFullText(src news.Source, items []news.Item) {
	if !src.FullText || a.fullText == nil {
		return
	}
	a.fullTextSources.Store(src.Name, src) // as configured now, for RequeueFullText
	for _, it := range items {
		if it.ID == 0 || news.SafeURL(it.Link) == "" {
			continue
		}
		select {
		case a.fullText <- fullTextJob{src: src, item: it}:
		default:
			a.log.Warn("full text queue full: the item waits in the store", "source", src.Name, "item", it.GUID)
		}
	}
}

// ExtractFullText fetches the article pages of full-text sources' new
// items, through the same polite, guarded fetcher as the feeds, and
// stores the article (readability, or the source's CSS selector),
// sanitised like every HTML, as the item's content; until ctx ends. A
// failure keeps the feed's own summary and is logged once.
func (a *Aggregator) ExtractFullText(ctx context.Context) {
	if a.fullText == nil {
		return
	}
	// What waits in the store past the queue's length is taken up when
	// the queue runs dry.
	t := time.NewTicker(requeueEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if len(a.fullText) == 0 {
				if _, err := a.RequeueFullText(ctx, nil); err != nil && ctx.Err() == nil {
					a.log.Warn("full text queue not read", slog.Any("err", err))
				}
			}
			continue
		case job := <-a.fullText:
			content, err := a.extract(ctx, job)
			if err == nil {
				err = a.store.SetContent(ctx, job.item.ID, job.item.Hash, content)
			}
			if ctx.Err() != nil {
				return // still queued in the store: tried again after a restart
			}
			if done := a.store.FullTextDone(ctx, job.item.ID); done != nil {
				a.log.Warn("full text queue", slog.Any("err", done))
			}
			if err != nil {
				a.log.Warn("full text not extracted: the item keeps its summary", "source", job.src.Name,
					"link", job.item.Link, slog.Any("err", err))
				continue
			}
			it := job.item
			it.Content = content
			a.index.SetText(&it) // decided again with its article, if not yet settled
			if a.listener != nil {
				a.listener.Changed(ctx, job.item.Topics)
			}
		}
	}
}

// RequeueFullText hands the extractor the items the store still holds
// queued for their article (stored by polls before a restart or a
// crash, or past the queue's length), as many as the queue takes; those
// of a source no longer configured for full text leave the queue.
// sources are the configured ones (nil: those last given or polled). It
// returns how many it queued.
func (a *Aggregator) RequeueFullText(ctx context.Context, sources []news.Source) (int, error) {
	if a.fullText == nil {
		return 0, nil
	}
	if sources != nil {
		a.SetFullTextSources(sources)
	}
	items, err := a.store.FullTextQueue(ctx, fullTextQueue-len(a.fullText))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		v, ok := a.fullTextSources.Load(it.Source)
		var src news.Source
		if ok {
			src = v.(news.Source)
		}
		if !ok || !src.FullText || news.SafeURL(it.Link) == "" {
			if err := a.store.FullTextDone(ctx, it.ID); err != nil {
				return n, err
			}
			continue
		}
		select {
		case a.fullText <- fullTextJob{src: src, item: it}:
			n++
		default:
			return n, nil // the rest waits in the store
		}
	}
	return n, nil
}

// SetFullTextSources records the configured sources (at start and at a
// reload): the items waiting for the article of a source no longer
// configured for full text leave the queue when next read.
func (a *Aggregator) SetFullTextSources(sources []news.Source) {
	a.fullTextSources.Clear()
	for _, s := range sources {
		a.fullTextSources.Store(s.Name, s)
	}
}

// extract fetches an item's page and returns its article's HTML.
func (a *Aggregator) extract(ctx context.Context, job fullTextJob) (string, error) {
	resp, err := a.fetcher.Fetch(ctx, job.item.Link, news.FetchState{}, job.src.Timeout, fetch.AccessFor(job.src))
	if err != nil {
		return "", err
	}
	return a.reader.Article(resp.Body, job.item.Link, job.src.FullTextSelector)
}
