package aggregator

import (
	"context"
	"log/slog"

	"tributary/fetch"
	"tributary/news"
)

// fullTextJob is an item whose article page is to be fetched.
type fullTextJob struct {
	src  news.Source
	item news.Item // ID, Link, Hash, Topics
}

// fullTextQueue bounds the items waiting for extraction; past it, an
// item keeps its feed's own summary.
const fullTextQueue = 1000

// queueFullText hands a poll's new and edited items of a full-text source
// to the extractor, without waiting: a poll never waits for articles.
func (a *Aggregator) queueFullText(src news.Source, items []news.Item) {
	if !src.FullText || a.fullText == nil {
		return
	}
	for _, it := range items {
		if it.ID == 0 || news.SafeURL(it.Link) == "" {
			continue
		}
		select {
		case a.fullText <- fullTextJob{src: src, item: it}:
		default:
			a.log.Warn("full text queue full: the item keeps its summary", "source", src.Name, "item", it.GUID)
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
	for {
		select {
		case <-ctx.Done():
			return
		case job := <-a.fullText:
			content, err := a.extract(ctx, job)
			if err == nil {
				err = a.store.SetContent(ctx, job.item.ID, job.item.Hash, content)
			}
			if err != nil {
				if ctx.Err() == nil {
					a.log.Warn("full text not extracted: the item keeps its summary", "source", job.src.Name,
						"link", job.item.Link, slog.Any("err", err))
				}
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

// extract fetches an item's page and returns its article's HTML.
func (a *Aggregator) extract(ctx context.Context, job fullTextJob) (string, error) {
	resp, err := a.fetcher.Fetch(ctx, job.item.Link, news.FetchState{}, job.src.Timeout, fetch.AccessFor(job.src))
	if err != nil {
		return "", err
	}
	return a.reader.Article(resp.Body, job.item.Link, job.src.FullTextSelector)
}
