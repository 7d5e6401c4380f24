// Package publish renders every topic as RSS 2.0, Atom 1.0 and JSON Feed
// 1.1 (with gorilla/feeds), keeps the bytes in memory, and serves them with
// strong ETags, an HTML front page, an OPML list and a health check. Feeds
// are rendered once per change, never per request. It neither fetches nor
// deduplicates: it reads stories from its Store.
package publish

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"tributary/metrics"
	"tributary/news"
	"tributary/store"
)

// Options configure a Publisher.
type Options struct {
	BaseURL     string       // public URL of the server
	Title       string       // site title, prefix of feed titles
	Description string       // description of the catch-all feed
	Limit       int          // entries per feed
	Topics      []news.Topic // configured topics; the catch-all is added
	Version     string       // shown on the front page
	// Coalesce is how long Run waits after a change before rendering, so
	// that a burst of polls (every source at start-up) costs one render,
	// not one each. Default 500ms.
	Coalesce time.Duration
	// Rerank is how often every feed is rendered again whether or not its
	// stories changed (RunRerank): hot feeds as heat decays, feeds as
	// max_age expires stories. Default 10 minutes.
	Rerank time.Duration
	// Explain, when set, serves GET /explain?url=... with its text.
	Explain func(ctx context.Context, arg string) (string, error)
	// Ready, when set, backs GET /readyz: nil when ready to serve fresh news.
	Ready func(ctx context.Context) error
	// Metrics, when set, counts feed requests.
	Metrics *metrics.Metrics
	// ReadyDetail, when set, adds lines to the operators' GET /readyz when
	// ready: on replicas, whether this one leads and the leases it holds.
	ReadyDetail func(ctx context.Context) string
	// HealthDetail, when set, adds lines to the operators' GET /healthz
	// (OpsHandler): retired, moved and failing sources, say.
	HealthDetail func(ctx context.Context) string
	// Debug gives the public listener what only operators get otherwise:
	// health details, the reason when not ready, and GET /explain.
	Debug bool
	// MaxAge is how long readers and proxies may reuse a response
	// unasked (Cache-Control: max-age). Default 5 minutes.
	MaxAge time.Duration
	// Hub is a WebSub hub: feeds link to it and it is pinged when a feed
	// changes. Empty disables WebSub.
	Hub string
	// HubClient pings the hub; nil for a client with a 10 s timeout.
	HubClient *http.Client
	// Icon is the picture readers show beside the feeds; the zero value
	// is one tributary draws.
	Icon Icon
	// Leader, when set, says whether this replica pings the WebSub hub:
	// replicas sharing a store ping it one at a time.
	Leader func(ctx context.Context) bool
	// Private makes every feed, the front page and the OPML list ask for
	// one of Tokens (private.go).
	Private bool
	// Tokens open private feeds: ?token=… or the basic-auth password.
	Tokens []string
	// Hot tunes the hot feeds (hot.go).
	Hot Hot
	// Now reads the clock, for Last-Modified; default time.Now.
	Now func() time.Time
}

// Publisher holds the rendered feeds and serves them.
type Publisher struct {
	store     store.Store
	log       *slog.Logger
	opts      Options
	render    *renderer
	page      *template.Template                    // the front page, parsed once
	storyTmpl *template.Template                    // a story's coverage page (/stories/{key})
	topics    []news.Topic                          // catch-all first
	keep      atomic.Int64                          // Keep
	muted     atomic.Pointer[func(*news.Item) bool] // SetMute

	refresh  sync.Mutex // one Refresh at a time
	flushing sync.Mutex // one Flush at a time, from taking the marks to rendering them

	dirtyMu sync.Mutex
	dirty   map[string]time.Time // topics changed since the last Flush, and when
	kick    chan struct{}        // wakes Run; holds at most one wake-up

	mu    sync.RWMutex
	docs  map[string]*document // "topic.ext" -> feed
	index *document            // nil when stale
	// topicPages are the topics' pages (/topics/{name}), rendered at
	// their first request and dropped when any feed changes.
	topicPages map[string]*document
	pagesGen   uint64    // counts the clears of topicPages
	opml       *document // fixed by the config
	icon       *document // served at /favicon.ico and /icon.png
	// zippers are idle gzip writers: each holds half a megabyte of state
	// that costs more to allocate than a feed costs to compress.
	zippers sync.Pool
	csp     string // the front page's Content-Security-Policy
	ready   bool
	stale   map[string]time.Time // topics to render at their next request, and when they changed

	// states are the documents' ETags and change times as the store has
	// them, loaded at the first Refresh; under refresh.
	states map[string]news.DocumentState
}

// New returns a publisher; call Refresh before serving.
func New(st store.Store, logger *slog.Logger, opts Options) (*Publisher, error) {
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("publish: bad base URL %q", opts.BaseURL)
	}
	// The feeds' shape is the config's to say (config.Default): no second
	// default here.
	switch {
	case opts.Limit <= 0:
		return nil, fmt.Errorf("publish: Limit %d: want at least 1", opts.Limit)
	case opts.MaxAge < 0:
		return nil, fmt.Errorf("publish: MaxAge %s: want 0 or more", opts.MaxAge)
	case opts.Hot.Window <= 0 || opts.Hot.MinSources < 1:
		return nil, fmt.Errorf("publish: Hot %+v: want a positive window and at least 1 source", opts.Hot)
	}
	if opts.Rerank <= 0 {
		opts.Rerank = 10 * time.Minute
	}
	if opts.Coalesce <= 0 {
		opts.Coalesce = 500 * time.Millisecond
	}
	if opts.HubClient == nil {
		opts.HubClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Icon.URL == "" && len(opts.Icon.Data) == 0 {
		opts.Icon = Icon{Data: defaultIcon(iconSize), Type: "image/png"}
	}
	hub := opts.Hub
	if opts.Private { // a hub is never told of a private feed
		hub = ""
	}
	r := &renderer{base: base, title: opts.Title, description: opts.Description, hub: hub,
		ttl:  int((opts.MaxAge + time.Minute - 1) / time.Minute),
		icon: base.JoinPath("icon.png").String(), favicon: base.JoinPath("favicon.ico").String(), cache: newFragments(),
		private: opts.Private}
	if opts.Icon.URL != "" {
		r.icon, r.favicon = opts.Icon.URL, opts.Icon.URL
	}
	p := &Publisher{
		store:      st,
		log:        logger.With("component", "publish"),
		opts:       opts,
		render:     r,
		icon:       newDocument(opts.Icon.Data, opts.Icon.Type, time.Time{}),
		topics:     append([]news.Topic{{Name: news.AllTopic, Title: "Everything"}}, opts.Topics...),
		docs:       map[string]*document{},
		topicPages: map[string]*document{},
		dirty:      map[string]time.Time{},
		stale:      map[string]time.Time{},
		kick:       make(chan struct{}, 1),
	}
	p.csp = fmt.Sprintf(frontPageCSP, "'self'")
	if u, err := url.Parse(opts.Icon.URL); err == nil && u.Host != "" {
		p.csp = fmt.Sprintf(frontPageCSP, "'self' "+u.Scheme+"://"+u.Host)
	}
	if p.page, err = template.New("index").Parse(indexHTML); err != nil {
		return nil, fmt.Errorf("publish: front page template: %w", err)
	}
	if p.storyTmpl, err = template.New("story").Parse(storyHTML); err != nil {
		return nil, fmt.Errorf("publish: story page template: %w", err)
	}
	p.keep.Store(p.keepFor(opts.Topics))
	return p, nil
}

// SetMute sets what mutes an item: muted items are left out of every
// feed and the front page (a story of muted items only is left out
// whole), from the next render; nil mutes none. Call SetTopics (or
// Refresh) after it to render again.
func (p *Publisher) SetMute(muted func(*news.Item) bool) {
	if muted == nil {
		p.muted.Store(nil)
	} else {
		p.muted.Store(&muted)
	}
	p.refresh.Lock()
	p.keep.Store(p.keepFor(p.topics[1:]))
	p.refresh.Unlock()
}

// SetTopics replaces the configured topics after a reload and renders
// every feed and the OPML list again; feeds of removed topics are no
// longer served.
func (p *Publisher) SetTopics(ctx context.Context, topics []news.Topic) error {
	p.refresh.Lock()
	p.topics = append([]news.Topic{{Name: news.AllTopic, Title: "Everything"}}, topics...)
	p.keep.Store(p.keepFor(topics))
	keep := map[string]bool{}
	for _, t := range p.topics {
		for _, f := range formats() {
			keep[t.Name+"."+string(f)] = true
			keep[hotTopic(t).Name+"."+string(f)] = true
		}
	}
	p.mu.Lock()
	for name := range p.docs {
		if !keep[name] {
			delete(p.docs, name)
			p.render.cache.forget(name)
		}
	}
	p.mu.Unlock()
	p.refresh.Unlock()
	return p.Refresh(ctx)
}

// Keep returns how many of each topic's newest stories the publisher
// shows, or reads to fill a topic with output controls (in a feed or on
// the front page): retention must keep them. It follows the topics a
// reload sets.
func (p *Publisher) Keep() int { return int(p.keep.Load()) }

// keepFor returns Keep for topics: what their renders read.
func (p *Publisher) keepFor(topics []news.Topic) int64 {
	keep := max(p.opts.Limit*filterHeadroom, latestOnPage*filterHeadroom)
	for _, t := range topics {
		keep = max(keep, p.reads(t))
	}
	return int64(keep)
}

// doc returns the document name ("topic.ext"), rendering its topic first
// when it is stale. When that render fails, the old bytes are served.
func (p *Publisher) doc(ctx context.Context, name string) (*document, bool) {
	topic := baseTopic(feedName(name))
	p.mu.RLock()
	d, ok := p.docs[name]
	at, stale := p.stale[topic]
	p.mu.RUnlock()
	if !ok || !stale {
		return d, ok
	}
	if err := p.renderStale(ctx, topic, at); err != nil {
		p.log.Error("render failed; serving the previous bytes", "topic", topic, slog.Any("err", err))
		return d, ok
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	d, ok = p.docs[name]
	return d, ok
}
