package publish

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"time"

	"tributary/news"
)

// Changed records that the stories of topics (and so of the catch-all)
// changed, now. It returns at once; Run flushes them shortly after,
// together with whatever else changes meanwhile.
func (p *Publisher) Changed(_ context.Context, topics []string) {
	now := p.opts.Now()
	p.dirtyMu.Lock()
	p.dirty[news.AllTopic] = now
	for _, t := range topics {
		p.dirty[t] = now
	}
	p.dirtyMu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Run renders changed topics until ctx is done, waiting Options.Coalesce
// after the first change so a burst of changes is rendered once.
func (p *Publisher) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-p.kick:
		}
		t := time.NewTimer(p.opts.Coalesce)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		if err := p.Flush(ctx); err != nil && ctx.Err() == nil {
			// The old bytes stay in service; the topics stay marked and
			// are tried again at the next change.
			p.log.Error("render failed", slog.Any("err", err))
		}
	}
}

// Flush hands on every topic marked as changed. With a WebSub hub, it
// renders them now, to ping the hub for the feeds whose bytes changed;
// without, it marks their documents stale, to be rendered at their next
// request: a feed nobody reads between two changes is never rendered.
// When Flush returns, every change marked before it was called is
// rendered or marked, by this call or by one that was in progress.
func (p *Publisher) Flush(ctx context.Context) error {
	p.flushing.Lock()
	defer p.flushing.Unlock()
	p.dirtyMu.Lock()
	marks := maps.Clone(p.dirty)
	clear(p.dirty)
	p.dirtyMu.Unlock()
	if len(marks) == 0 {
		return nil
	}
	topics := slices.Sorted(maps.Keys(marks))
	if p.opts.Hub == "" {
		p.mu.Lock()
		for t, at := range marks {
			if at.After(p.stale[t]) {
				p.stale[t] = at
			}
		}
		p.index = nil
		clear(p.topicPages)
		p.pagesGen++
		p.mu.Unlock()
		return nil
	}
	start := time.Now()
	if err := p.Refresh(ctx, topics...); err != nil {
		p.dirtyMu.Lock()
		for t, at := range marks {
			if at.After(p.dirty[t]) {
				p.dirty[t] = at
			}
		}
		p.dirtyMu.Unlock()
		return err
	}
	p.log.Debug("feeds rendered", "topics", topics, "duration", time.Since(start).Round(time.Microsecond))
	return nil
}
