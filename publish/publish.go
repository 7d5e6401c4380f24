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
	"log/slog"
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
}

// document is one rendered response, kept in memory.
type document struct {
	body        []byte
	gzip        []byte // the same, compressed once
	etag        string // strong, of body; the gzip variant gets its own
	modified    time.Time
	contentType string
}

func newDocument(body []byte, contentType string, modified time.Time) *document {
	sum := sha256.Sum256(body)
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.BestCompression) // level is valid
	zw.Write(body)
	zw.Close()
	return &document{
		body:        body,
		gzip:        zb.Bytes(),
		etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
		modified:    modified.UTC().Truncate(time.Second),
		contentType: contentType,
	}
}

// Publisher holds the rendered feeds and serves them.
type Publisher struct {
	store  Store
	log    *slog.Logger
	opts   Options
	render *renderer
	topics []news.Topic // catch-all first

	refresh sync.Mutex // one Refresh at a time

	mu    sync.RWMutex
	docs  map[string]*document // "topic.ext" -> feed
	index *document
	opml  *document
	ready bool
}

// New returns a publisher; call Refresh before serving.
func New(store Store, logger *slog.Logger, opts Options) (*Publisher, error) {
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("publish: bad base URL %q", opts.BaseURL)
	}
	if opts.Limit <= 0 {
		opts.Limit = 50
	}
	p := &Publisher{
		store:  store,
		log:    logger.With("component", "publish"),
		opts:   opts,
		render: &renderer{base: base, title: opts.Title, description: opts.Description},
		topics: append([]news.Topic{{Name: news.AllTopic, Title: "Everything"}}, opts.Topics...),
		docs:   map[string]*document{},
	}
	return p, nil
}

// Changed re-renders after the store changed; errors are logged, and the
// previous bytes stay in service.
func (p *Publisher) Changed(ctx context.Context) {
	if err := p.Refresh(ctx); err != nil {
		p.log.Error("refresh failed", slog.Any("err", err))
	}
}

// Refresh renders every topic in every format, the front page and the OPML
// list, and swaps them in at once.
func (p *Publisher) Refresh(ctx context.Context) error {
	p.refresh.Lock()
	defer p.refresh.Unlock()
	docs := make(map[string]*document, len(p.topics)*3)
	var latest []news.Story
	for _, t := range p.topics {
		stories, err := p.store.Stories(ctx, t.Name, p.opts.Limit)
		if err != nil {
			return fmt.Errorf("publish %s: %w", t.Name, err)
		}
		if t.Name == news.AllTopic {
			latest = stories
		}
		for _, f := range formats() {
			body, err := p.render.render(f, t, stories)
			if err != nil {
				return fmt.Errorf("publish %s.%s: %w", t.Name, f, err)
			}
			docs[t.Name+"."+string(f)] = newDocument(body, f.ContentType(), updated(stories))
		}
	}
	counts, err := p.store.TopicCounts(ctx)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	index, err := p.renderIndex(counts, latest)
	if err != nil {
		return fmt.Errorf("publish front page: %w", err)
	}
	opml, err := p.renderOPML()
	if err != nil {
		return fmt.Errorf("publish opml: %w", err)
	}
	p.mu.Lock()
	p.docs, p.index, p.opml, p.ready = docs, index, opml, true
	p.mu.Unlock()
	return nil
}

func (p *Publisher) doc(name string) (*document, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	d, ok := p.docs[name]
	return d, ok
}
