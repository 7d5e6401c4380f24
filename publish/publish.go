// Package publish renders every topic as RSS 2.0, Atom 1.0 and JSON Feed
// 1.1 (with gorilla/feeds), keeps the bytes in memory, and serves them with
// strong ETags, an HTML front page, an OPML list and a health check. Feeds
// are rendered once per change, never per request. It neither fetches nor
// deduplicates: it reads stories from its Store.
package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"tributary/news"
)

// Store is what publishing needs from the store.
type Store interface {
	Stories(ctx context.Context, topic string, limit int) ([]news.Story, error)
	TopicCounts(ctx context.Context) (map[string]int, error)
}

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
	// Explain, when set, serves GET /explain?url=... with its text.
	Explain func(ctx context.Context, arg string) (string, error)
	// Ready, when set, backs GET /readyz: nil when ready to serve fresh news.
	Ready func(ctx context.Context) error
	// Metrics, when set, counts feed requests.
	Metrics *Metrics
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
}

// Defaults for Options.
const (
	DefaultLimit  = 50              // entries per feed
	DefaultMaxAge = 5 * time.Minute // Cache-Control max-age
)

// document is one rendered response, kept in memory.
type document struct {
	body        []byte
	etag        string // strong, of body; the gzip variant gets its own
	modified    time.Time
	contentType string

	gzipOnce sync.Once
	gzipBody []byte // body compressed, made at the first request that asks
}

func newDocument(body []byte, contentType string, modified time.Time) *document {
	sum := sha256.Sum256(body)
	return &document{
		body:        body,
		etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
		modified:    modified.UTC().Truncate(time.Second),
		contentType: contentType,
	}
}

// gzipped returns the body compressed. It is computed once, on demand:
// a feed nobody fetches between two changes never pays for compression.
func (d *document) gzipped() []byte {
	d.gzipOnce.Do(func() {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(d.body) // writes to a bytes.Buffer do not fail
		zw.Close()
		d.gzipBody = zb.Bytes()
	})
	return d.gzipBody
}

// Publisher holds the rendered feeds and serves them.
type Publisher struct {
	store  Store
	log    *slog.Logger
	opts   Options
	render *renderer
	page   *template.Template // the front page, parsed once
	topics []news.Topic       // catch-all first

	refresh  sync.Mutex // one Refresh at a time
	flushing sync.Mutex // one Flush at a time, from taking the marks to rendering them

	dirtyMu sync.Mutex
	dirty   map[string]bool // topics changed since the last render
	kick    chan struct{}   // wakes Run; holds at most one wake-up

	mu    sync.RWMutex
	docs  map[string]*document // "topic.ext" -> feed
	index *document            // nil when stale
	opml  *document            // fixed by the config
	ready bool
}

// New returns a publisher; call Refresh before serving.
func New(store Store, logger *slog.Logger, opts Options) (*Publisher, error) {
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("publish: bad base URL %q", opts.BaseURL)
	}
	if opts.Limit <= 0 {
		opts.Limit = DefaultLimit
	}
	if opts.Coalesce <= 0 {
		opts.Coalesce = 500 * time.Millisecond
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultMaxAge
	}
	if opts.HubClient == nil {
		opts.HubClient = &http.Client{Timeout: 10 * time.Second}
	}
	p := &Publisher{
		store:  store,
		log:    logger.With("component", "publish"),
		opts:   opts,
		render: &renderer{base: base, title: opts.Title, description: opts.Description, hub: opts.Hub},
		topics: append([]news.Topic{{Name: news.AllTopic, Title: "Everything"}}, opts.Topics...),
		docs:   map[string]*document{},
		dirty:  map[string]bool{},
		kick:   make(chan struct{}, 1),
	}
	if p.page, err = template.New("index").Parse(indexHTML); err != nil {
		return nil, fmt.Errorf("publish: front page template: %w", err)
	}
	if p.opml, err = p.renderOPML(); err != nil {
		return nil, fmt.Errorf("publish opml: %w", err)
	}
	return p, nil
}

// Refresh renders the named topics in every format, or every topic when
// none is named; the catch-all is always rendered. A document whose bytes
// did not change is kept as it was. The front page is marked stale and
// rendered again at its next request.
func (p *Publisher) Refresh(ctx context.Context, topics ...string) error {
	p.refresh.Lock()
	defer p.refresh.Unlock()
	want := map[string]bool{news.AllTopic: true}
	for _, t := range topics {
		want[t] = true
	}
	p.mu.RLock()
	docs := make(map[string]*document, len(p.topics)*3)
	for k, v := range p.docs {
		docs[k] = v
	}
	p.mu.RUnlock()
	var changedFeeds []string
	for _, t := range p.topics {
		if len(topics) > 0 && !want[t.Name] {
			continue
		}
		stories, err := p.store.Stories(ctx, t.Name, p.opts.Limit)
		if err != nil {
			return fmt.Errorf("publish %s: %w", t.Name, err)
		}
		for _, f := range formats() {
			body, err := p.render.render(f, t, stories)
			if err != nil {
				return fmt.Errorf("publish %s.%s: %w", t.Name, f, err)
			}
			name := t.Name + "." + string(f)
			if old, ok := docs[name]; ok && bytes.Equal(old.body, body) {
				continue
			}
			_, existed := docs[name]
			docs[name] = newDocument(body, f.ContentType(), updated(stories))
			if existed {
				changedFeeds = append(changedFeeds, p.render.feedURL(t.Name, f))
			}
		}
	}
	p.mu.Lock()
	p.docs, p.index, p.ready = docs, nil, true
	p.mu.Unlock()
	if p.opts.Hub != "" && len(changedFeeds) > 0 {
		p.pingHub(ctx, changedFeeds)
	}
	return nil
}

// frontPage returns the front page, rendering it if the feeds changed
// since it was last rendered.
func (p *Publisher) frontPage(ctx context.Context) (*document, error) {
	p.mu.RLock()
	d := p.index
	p.mu.RUnlock()
	if d != nil {
		return d, nil
	}
	p.refresh.Lock() // no feed refresh while the page reads the store
	defer p.refresh.Unlock()
	counts, err := p.store.TopicCounts(ctx)
	if err != nil {
		return nil, err
	}
	latest, err := p.store.Stories(ctx, news.AllTopic, latestOnPage)
	if err != nil {
		return nil, err
	}
	d, err = p.renderIndex(counts, latest)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.index = d
	p.mu.Unlock()
	return d, nil
}

// SetTopics replaces the configured topics after a reload and renders
// every feed again; feeds of removed topics are no longer served.
func (p *Publisher) SetTopics(ctx context.Context, topics []news.Topic) error {
	p.refresh.Lock()
	p.topics = append([]news.Topic{{Name: news.AllTopic, Title: "Everything"}}, topics...)
	opml, err := p.renderOPML()
	if err != nil {
		p.refresh.Unlock()
		return fmt.Errorf("publish opml: %w", err)
	}
	keep := map[string]bool{}
	for _, t := range p.topics {
		for _, f := range formats() {
			keep[t.Name+"."+string(f)] = true
		}
	}
	p.mu.Lock()
	p.opml = opml
	for name := range p.docs {
		if !keep[name] {
			delete(p.docs, name)
		}
	}
	p.mu.Unlock()
	p.refresh.Unlock()
	return p.Refresh(ctx)
}

// Keep returns how many of each topic's newest stories the publisher
// shows (in a feed or on the front page): retention must keep them. It
// is fixed for the publisher's life, since publish settings take a
// restart.
func (p *Publisher) Keep() int { return max(p.opts.Limit, latestOnPage) }

func (p *Publisher) doc(name string) (*document, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	d, ok := p.docs[name]
	return d, ok
}
