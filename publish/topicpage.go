package publish

import (
	"context"
	"log/slog"
	"net/http"
	"slices"

	"tributary/news"
)

// serveTopicPage serves /topics/{name}: a topic's page, as the front
// page is for every topic — its hot stories, its latest, each with its
// outlets and picture, and its feeds. A private topic's page asks for a
// token, as its feeds do.
func (p *Publisher) serveTopicPage(w http.ResponseWriter, r *http.Request) {
	if !p.isReady() {
		http.Error(w, "starting, try again in a moment", http.StatusServiceUnavailable)
		return
	}
	name := r.PathValue("name")
	p.refresh.Lock()
	i := slices.IndexFunc(p.topics, func(t news.Topic) bool { return t.Name == name })
	var t news.Topic
	if i >= 0 {
		t = p.topics[i]
	}
	p.refresh.Unlock()
	tokened := p.authorized(r)
	if i < 0 || name == news.AllTopic || (p.private(name) && !tokened) {
		http.Error(w, "no such topic", http.StatusNotFound)
		return
	}
	p.mu.RLock()
	d := p.topicPages[name]
	p.mu.RUnlock()
	if d == nil {
		var err error
		if d, err = p.topicPage(r.Context(), t); err != nil {
			p.log.Error("topic page", "topic", name, slog.Any("err", err))
			http.Error(w, "the page could not be rendered; the feeds are still served", http.StatusInternalServerError)
			return
		}
	}
	if p.private(name) {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.Header().Set("Content-Security-Policy", p.csp)
	w.Header().Set("Referrer-Policy", "no-referrer")
	p.serve(w, r, d)
}

// topicPage renders topic t's page and keeps it until a feed changes. A
// change marked while it renders (Flush clears the pages) is waited for,
// not lost: the page is kept only if none came meanwhile.
func (p *Publisher) topicPage(ctx context.Context, t news.Topic) (*document, error) {
	p.mu.RLock()
	gen := p.pagesGen
	p.mu.RUnlock()
	p.refresh.Lock() // no feed refresh while the page reads the store
	d, err := p.renderTopicPage(ctx, t)
	p.refresh.Unlock()
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	if p.pagesGen == gen {
		p.topicPages[t.Name] = d
	}
	p.mu.Unlock()
	return d, nil
}

// renderTopicPage renders topic t's page; p.refresh is held.
func (p *Publisher) renderTopicPage(ctx context.Context, t news.Topic) (*document, error) {
	counts, err := p.store.TopicCounts(ctx)
	if err != nil {
		return nil, err
	}
	read, err := p.read(ctx, t, false)
	if err != nil {
		return nil, err
	}
	p.unmute(read)
	onPage := t
	onPage.Limit = hotOnPage
	hot, err := p.hotStories(ctx, onPage, false)
	if err != nil {
		p.log.Warn("hot stories not ranked", "topic", t.Name, slog.Any("err", err))
	}
	onPage.Limit = latestOnPage
	return p.renderIndex(nil, counts, p.shown(onPage, read), hot, &t)
}
