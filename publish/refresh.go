package publish

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"tributary/news"
)

// Refresh renders the named topics in every format, or every topic (and
// the OPML list) when none is named; the catch-all is always rendered. A
// document whose bytes did not change is kept as it was. A document's
// Last-Modified is when its bytes last changed, kept in the store with
// its ETag, so both survive a restart unchanged. The front page is marked
// stale and rendered again at its next request.
func (p *Publisher) Refresh(ctx context.Context, topics ...string) error {
	p.refresh.Lock()
	defer p.refresh.Unlock()
	want := map[string]bool{news.AllTopic: true}
	for _, t := range topics {
		want[t] = true
	}
	var chosen []news.Topic
	for _, t := range p.topics {
		if len(topics) == 0 || want[t.Name] {
			chosen = append(chosen, t)
		}
	}
	return p.renderTopics(ctx, chosen, len(topics) == 0, p.opts.Now())
}

// renderStale renders a topic marked stale at its change time at, unless
// another request has meanwhile.
func (p *Publisher) renderStale(ctx context.Context, topic string, at time.Time) error {
	p.refresh.Lock()
	defer p.refresh.Unlock()
	p.mu.RLock()
	_, stale := p.stale[topic]
	p.mu.RUnlock()
	if !stale {
		return nil
	}
	for _, t := range p.topics {
		if t.Name == topic {
			return p.renderTopics(ctx, []news.Topic{t}, false, at)
		}
	}
	return nil
}

// renderTopics renders topics in every format, and the OPML list when
// opml is set; a document whose bytes changed was changed at at. p.refresh
// is held.
func (p *Publisher) renderTopics(ctx context.Context, topics []news.Topic, opml bool, at time.Time) error {
	if p.states == nil {
		states, err := p.store.DocumentStates(ctx)
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		p.states = states
	}
	p.mu.RLock()
	docs := maps.Clone(p.docs)
	list := p.opml
	p.mu.RUnlock()
	var changedFeeds []string
	var changed []news.DocumentState
	emit := func(t news.Topic, stories []news.Story, every bool) error {
		for _, f := range formats() {
			body, err := p.render.render(f, t, stories, every)
			if err != nil {
				return fmt.Errorf("publish %s.%s: %w", t.Name, f, err)
			}
			name := t.Name + "." + string(f)
			if old, ok := docs[name]; ok && bytes.Equal(old.body, body) {
				continue
			}
			_, existed := docs[name]
			docs[name] = p.document(name, body, f.ContentType(), at, &changed)
			if existed && !t.Private { // a hub is never told of a private feed
				changedFeeds = append(changedFeeds, p.render.feedURL(t.Name, f))
			}
		}
		return nil
	}
	for _, t := range topics {
		// One read serves both feeds: the topic's own, and its hot feed.
		read, err := p.read(ctx, t, false)
		if err != nil {
			return fmt.Errorf("publish %s: %w", t.Name, err)
		}
		p.unmute(read)
		if err := emit(t, p.shown(t, slices.Clone(read)), false); err != nil {
			return err
		}
		hot, err := p.hotStories(ctx, t, false)
		if err != nil {
			// The topic's own feed is served all the same; its hot feed
			// keeps what it held (empty, the first time).
			p.log.Warn("hot stories not ranked", "topic", t.Name, slog.Any("err", err))
			if _, ok := docs[hotTopic(t).Name+"."+string(RSS)]; ok {
				continue
			}
		}
		if err := emit(hotTopic(t), hot, true); err != nil {
			return err
		}
	}
	if opml {
		body, err := p.renderOPML(p.visible(false))
		if err != nil {
			return fmt.Errorf("publish opml: %w", err)
		}
		if list == nil || !bytes.Equal(list.body, body) {
			list = p.document("opml", body, "text/x-opml; charset=utf-8", at, &changed)
		}
	}
	if len(changed) > 0 {
		// Unsaved, the times stay right until a restart; the feeds are
		// served all the same.
		if err := p.store.SaveDocumentStates(ctx, changed); err != nil {
			p.log.Warn("feed change times not saved", slog.Any("err", err))
		}
	}
	p.mu.Lock()
	p.docs, p.opml, p.index, p.ready = docs, list, nil, true
	clear(p.topicPages)
	p.pagesGen++
	for _, t := range topics {
		delete(p.stale, t.Name)
	}
	p.mu.Unlock()
	if p.opts.Hub != "" && len(changedFeeds) > 0 {
		p.pingHub(ctx, changedFeeds)
	}
	return nil
}

// document makes a changed document of name. Its Last-Modified is the one
// the store kept when its bytes are the ones kept; else at (when it
// changed), at least a second after the last change, so If-Modified-Since
// always tells two versions apart. New states are appended to changed, to
// be saved.
func (p *Publisher) document(name string, body []byte, contentType string, at time.Time, changed *[]news.DocumentState) *document {
	d := newDocument(body, contentType, time.Time{})
	st, ok := p.states[name]
	if ok && st.ETag == d.etag {
		d.modified = st.Modified
		return d
	}
	d.modified = at.UTC().Truncate(time.Second)
	if ok && !d.modified.After(st.Modified) {
		d.modified = st.Modified.Add(time.Second)
	}
	st = news.DocumentState{Name: name, ETag: d.etag, Modified: d.modified}
	p.states[name] = st
	*changed = append(*changed, st)
	return d
}

// frontPage returns the front page as anyone may see it, rendering it if
// the feeds changed since it was last rendered.
func (p *Publisher) frontPage(ctx context.Context) (*document, error) {
	p.mu.RLock()
	d := p.index
	p.mu.RUnlock()
	if d != nil {
		return d, nil
	}
	p.refresh.Lock() // no feed refresh while the page reads the store
	defer p.refresh.Unlock()
	d, err := p.renderFrontPage(ctx, false)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.index = d
	p.mu.Unlock()
	return d, nil
}

// renderFrontPage renders the front page, listing the private topics too
// with withPrivate; p.refresh is held.
func (p *Publisher) renderFrontPage(ctx context.Context, withPrivate bool) (*document, error) {
	counts, err := p.store.TopicCounts(ctx)
	if err != nil {
		return nil, err
	}
	all := news.Topic{Name: news.AllTopic, Limit: latestOnPage}
	read, err := p.read(ctx, all, withPrivate)
	if err != nil {
		return nil, err
	}
	p.unmute(read)
	hot, err := p.hotStories(ctx, news.Topic{Name: news.AllTopic, Limit: hotOnPage}, withPrivate)
	if err != nil { // the page shows the latest all the same
		p.log.Warn("hot stories not ranked", "topic", "front page", slog.Any("err", err))
	}
	d, err := p.renderIndex(p.visible(withPrivate), counts, p.shown(all, slices.Clone(read)), hot, nil)
	if err != nil {
		return nil, err
	}
	p.mu.RLock()
	for _, doc := range p.docs { // the page changes when a feed does
		if doc.modified.After(d.modified) {
			d.modified = doc.modified
		}
	}
	p.mu.RUnlock()
	return d, nil
}

// filterHeadroom is how many more stories than it shows a topic's
// render reads, so that what output controls and mutes leave out is made
// up (a hot feed reads as many of its hottest, for mutes).
const filterHeadroom = 4

// reads returns how many of topic t's newest stories its render reads.
func (p *Publisher) reads(t news.Topic) int { return cmp.Or(t.Limit, p.opts.Limit) * filterHeadroom }

// read returns topic t's newest stories, as many as its render reads.
// The catch-all's leave out the stories filed only in private topics
// (unless withPrivate: a page rendered for a token): a private topic's
// stories are private wherever a token is not shown.
func (p *Publisher) read(ctx context.Context, t news.Topic, withPrivate bool) ([]news.Story, error) {
	if private := p.privateFor(t, withPrivate); len(private) > 0 {
		return p.store.PublicStories(ctx, private, p.reads(t))
	}
	return p.store.Stories(ctx, t.Name, p.reads(t))
}

// privateFor returns the private topics whose stories topic t's outputs
// must leave out: for the catch-all without a token (withPrivate), the
// private topics; else none.
func (p *Publisher) privateFor(t news.Topic, withPrivate bool) []string {
	if t.Name != news.AllTopic || withPrivate || p.opts.Private {
		return nil
	}
	var private []string
	for _, pt := range p.topics {
		if pt.Private {
			private = append(private, pt.Name)
		}
	}
	return private
}

// topicStories returns what topic t's feed shows (see shown).
func (p *Publisher) topicStories(ctx context.Context, t news.Topic) ([]news.Story, error) {
	stories, err := p.read(ctx, t, false)
	if err != nil {
		return nil, err
	}
	p.unmute(stories)
	return p.shown(t, stories), nil
}

// shown returns what topic t's feed shows of its newest stories (muted
// items taken out): at most its limit, without those its output controls
// (max_age, min_sources, per_source) leave out or whose items are all
// muted. The clock is read when the topic renders, at each change of it.
func (p *Publisher) shown(t news.Topic, stories []news.Story) []news.Story {
	limit := cmp.Or(t.Limit, p.opts.Limit)
	cut := p.opts.Now().Add(-t.MaxAge)
	per := map[string]int{}
	out := stories[:0]
	for i := range stories {
		s := &stories[i]
		switch {
		case len(out) == limit:
			return out
		case len(s.Items) == 0,
			t.MaxAge > 0 && s.Published.Before(cut),
			t.MinSources > 1 && news.Outlets(s) < t.MinSources,
			t.PerSource > 0 && per[s.Items[0].Source] >= t.PerSource:
			continue
		}
		per[s.Items[0].Source]++
		out = append(out, *s)
	}
	return out
}

// unmute takes muted items out of stories; a story left with none is
// then skipped.
func (p *Publisher) unmute(stories []news.Story) {
	mp := p.muted.Load()
	if mp == nil {
		return
	}
	muted := *mp
	for i := range stories {
		s := &stories[i]
		kept := s.Items[:0:0]
		for j := range s.Items {
			if !muted(&s.Items[j]) {
				kept = append(kept, s.Items[j])
			}
		}
		s.Items = kept
	}
}
