package publish

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"tributary/news"
	"tributary/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

type fakeStore struct {
	store.Store // what publishing does not read: nil, it would panic
	stories     map[string][]news.Story
	mu          sync.Mutex
	states      map[string]news.DocumentState
}

// Stories returns a topic's stories with their items' outlets named by
// their source, as a store fills them in.
func (f *fakeStore) Stories(_ context.Context, topic string, limit int) ([]news.Story, error) {
	s := f.stories[topic]
	out := make([]news.Story, min(limit, len(s)))
	for i := range out {
		out[i] = s[i]
		out[i].Items = append([]news.Item(nil), s[i].Items...)
		for j := range out[i].Items {
			if it := &out[i].Items[j]; it.Outlet.Name == "" {
				it.Outlet.Name = it.Source
			}
		}
	}
	return out, nil
}

func (f *fakeStore) PublicStories(ctx context.Context, private []string, limit int) ([]news.Story, error) {
	all, _ := f.Stories(ctx, news.AllTopic, len(f.stories[news.AllTopic]))
	out := all[:0]
	for _, s := range all {
		hidden := len(s.Topics) > 0
		for _, t := range s.Topics {
			hidden = hidden && slices.Contains(private, t)
		}
		if !hidden && len(out) < limit {
			out = append(out, s)
		}
	}
	return out, nil
}

// StoryItems returns the items of the catch-all's story key, outlets
// named as Stories names them.
func (f *fakeStore) StoryItems(ctx context.Context, key string) ([]news.Item, error) {
	all, _ := f.Stories(ctx, news.AllTopic, len(f.stories[news.AllTopic]))
	for _, s := range all {
		if s.Key == key {
			items := slices.Clone(s.Items)
			for i := range items {
				items[i].Topics = s.Topics
			}
			return items, nil
		}
	}
	return nil, nil
}

// HotStories ranks the topic's stories of the window as a store does
// (store.Heat), leaving out those of fewer sources.
func (f *fakeStore) HotStories(ctx context.Context, topic string, private []string, now time.Time, window time.Duration, least, limit int) ([]news.Story, error) {
	stories, _ := f.Stories(ctx, topic, len(f.stories[topic]))
	if topic == news.AllTopic && len(private) > 0 {
		stories, _ = f.PublicStories(ctx, private, len(stories))
	}
	var out []news.Story
	for _, s := range stories {
		if now.Sub(s.Published) <= window && news.Outlets(&s) >= least {
			out = append(out, s)
		}
	}
	heat := func(s *news.Story) float64 { return store.Heat(news.Outlets(s), now.Sub(s.Published), window) }
	slices.SortStableFunc(out, func(a, b news.Story) int { return cmp.Compare(heat(&b), heat(&a)) })
	return out[:min(len(out), limit)], nil
}

func (f *fakeStore) DocumentStates(context.Context) (map[string]news.DocumentState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]news.DocumentState{}
	for k, v := range f.states {
		out[k] = v
	}
	return out, nil
}

func (f *fakeStore) SaveDocumentStates(_ context.Context, states []news.DocumentState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.states == nil {
		f.states = map[string]news.DocumentState{}
	}
	for _, s := range states {
		f.states[s.Name] = s
	}
	return nil
}

func (f *fakeStore) TopicCounts(context.Context) (map[string]int, error) {
	c := map[string]int{}
	for k, v := range f.stories {
		c[k] = len(v)
	}
	return c, nil
}

func fixture() *fakeStore {
	t0 := time.Date(2026, 11, 27, 8, 15, 0, 0, time.UTC)
	shared := news.Story{
		Key: "s1", Topics: []string{"ukraine"}, Published: t0, Updated: t0.Add(time.Hour),
		Items: []news.Item{
			{Source: "northwind", Title: "Peace talks in Geneva", Link: "https://wire.example/geneva",
				Summary: "<p>Delegations will meet.</p>", Author: "Anna Kowal", Published: t0, Updated: t0,
				Image:      "https://wire.example/geneva.jpg",
				Enclosures: []news.Enclosure{{URL: "https://wire.example/geneva.mp3", Type: "audio/mpeg", Length: 31337}},
				Outlet: news.Outlet{Name: "northwind", Title: "Northwind Gazette", FeedURL: "https://user:secret@northwind.example/rss",
					Site: "https://northwind.example/"}},
			{Source: "meridian", Title: "Kyiv and Moscow to talk", Link: "https://meridian.example/geneva", Published: t0.Add(25 * time.Minute),
				Outlet: news.Outlet{Name: "meridian", Title: "Daily Meridian", FeedURL: "file:/srv/meridian.atom", Site: "https://meridian.example/"}},
		},
	}
	solo := news.Story{
		Key: "s2", Published: t0.Add(2 * time.Hour), Updated: t0.Add(2 * time.Hour),
		Items: []news.Item{{Source: "harbor", Title: "Quantum chip & more", Link: "https://harbor.example/q",
			Content: "<p>A milestone.</p>", Published: t0.Add(2 * time.Hour)}},
	}
	return &fakeStore{stories: map[string][]news.Story{
		news.AllTopic: {solo, shared},
		"ukraine":     {shared},
	}}
}

func newTestPublisher(t testing.TB, st store.Store) *Publisher {
	t.Helper()
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		BaseURL: "http://news.example:8080", Title: "tributary", Description: "All the news",
		Limit: 50, Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine war"}}, Version: "test",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGolden(t *testing.T) {
	p := newTestPublisher(t, fixture())
	for _, name := range []string{"ukraine.rss", "ukraine.atom", "ukraine.json", "all.rss"} {
		t.Run(name, func(t *testing.T) {
			d, ok := p.doc(context.Background(), name)
			if !ok {
				t.Fatalf("no document %s", name)
			}
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, d.body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./publish -update to create it)", err)
			}
			if !bytes.Equal(d.body, want) {
				t.Errorf("%s differs from %s; run with -update if the change is intended:\n%s", name, golden, d.body)
			}
		})
	}
}

func TestFeedsParseBack(t *testing.T) {
	p := newTestPublisher(t, fixture())
	for _, f := range formats() {
		t.Run(string(f), func(t *testing.T) {
			d, _ := p.doc(context.Background(), "ukraine."+string(f))
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(d.body))
			if err != nil {
				t.Fatal(err)
			}
			if feed.Title != "tributary: Ukraine war" || len(feed.Items) != 1 {
				t.Fatalf("feed %q with %d items", feed.Title, len(feed.Items))
			}
			it := feed.Items[0]
			if it.GUID != "tag:news.example,2026:story/s1" {
				t.Errorf("id = %q", it.GUID)
			}
			if it.Title != "Peace talks in Geneva" || it.Link != "https://wire.example/geneva" {
				t.Errorf("title %q link %q", it.Title, it.Link)
			}
			body := it.Description + it.Content
			if !strings.Contains(body, "Also reported by") || !strings.Contains(body, "https://meridian.example/geneva") {
				t.Errorf("no also-reported links in %q", body)
			}
			if len(it.Categories) != 2 || it.Categories[0] != "ukraine" || it.Categories[1] != "sources:2" {
				t.Errorf("categories = %v, want its topic and its corroboration", it.Categories)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(time.Date(2026, 11, 27, 8, 15, 0, 0, time.UTC)) {
				t.Errorf("published = %v", it.PublishedParsed)
			}
		})
	}
}

func TestRenderIsStable(t *testing.T) {
	a := newTestPublisher(t, fixture())
	b := newTestPublisher(t, fixture())
	for name, d := range a.docs {
		if d.etag != b.docs[name].etag {
			t.Errorf("%s: ETag differs between two renders of the same stories", name)
		}
	}
}

func get(t testing.TB, h http.Handler, method, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandler(t *testing.T) {
	h := newTestPublisher(t, fixture()).Handler()
	tests := []struct {
		path, wantType string
		want           int
	}{
		{"/feeds/ukraine.rss", "application/rss+xml; charset=utf-8", 200},
		{"/feeds/ukraine.atom", "application/atom+xml; charset=utf-8", 200},
		{"/feeds/all.json", "application/feed+json; charset=utf-8", 200},
		{"/", "text/html; charset=utf-8", 200},
		{"/opml", "text/x-opml; charset=utf-8", 200},
		{"/healthz", "text/plain; charset=utf-8", 200},
		{"/feeds/nope.rss", "", 404},
		{"/feeds/ukraine.xml", "", 404},
		{"/feeds/ukraine", "", 404},
		{"/elsewhere", "", 404},
	}
	for _, tt := range tests {
		resp := get(t, h, "GET", tt.path, nil)
		if resp.StatusCode != tt.want {
			t.Errorf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.want)
		}
		if tt.wantType != "" && resp.Header.Get("Content-Type") != tt.wantType {
			t.Errorf("GET %s Content-Type = %q, want %q", tt.path, resp.Header.Get("Content-Type"), tt.wantType)
		}
	}
}

func TestConditionalAndGzip(t *testing.T) {
	h := newTestPublisher(t, fixture()).Handler()
	first := get(t, h, "GET", "/feeds/ukraine.rss", nil)
	etag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || lastMod == "" || first.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("headers = %v", first.Header)
	}
	if r := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"If-None-Match": etag}); r.StatusCode != 304 {
		t.Errorf("If-None-Match = %d, want 304", r.StatusCode)
	}
	if r := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"If-Modified-Since": lastMod}); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since = %d, want 304", r.StatusCode)
	}
	if r := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"If-None-Match": `"other"`}); r.StatusCode != 200 {
		t.Errorf("stale ETag = %d, want 200", r.StatusCode)
	}
	if r := get(t, h, "HEAD", "/feeds/ukraine.rss", nil); r.StatusCode != 200 || r.ContentLength <= 0 {
		t.Errorf("HEAD = %d, length %d", r.StatusCode, r.ContentLength)
	}

	gz := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"Accept-Encoding": "gzip, br"})
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == etag {
		t.Fatalf("gzip response headers = %v", gz.Header)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	body, _ := io.ReadAll(first.Body)
	if !bytes.Equal(plain, body) {
		t.Error("gzip body differs from the plain body")
	}
	if r := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": gz.Header.Get("ETag")}); r.StatusCode != 304 {
		t.Errorf("gzip ETag round trip = %d, want 304", r.StatusCode)
	}
	if r := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"Accept-Encoding": "gzip;q=0"}); r.Header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still got gzip")
	}
}

func TestFrontPage(t *testing.T) {
	h := newTestPublisher(t, fixture()).Handler()
	resp := get(t, h, "GET", "/", nil)
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	for _, want := range []string{
		`<link rel="alternate" type="application/rss+xml" title="tributary: Ukraine war (RSS)" href="http://news.example:8080/feeds/ukraine.rss">`,
		`<link rel="alternate" type="application/feed+json" title="tributary (JSON Feed)" href="http://news.example:8080/feeds/all.json">`,
		`Quantum chip &amp; more`,
		`href="http://news.example:8080/opml"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("front page lacks %s", want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestNotReady(t *testing.T) {
	p, _ := newShaped(fixture(), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{BaseURL: "http://x.example"})
	if r := get(t, p.Handler(), "GET", "/healthz", nil); r.StatusCode != 503 {
		t.Errorf("healthz before the first render = %d, want 503", r.StatusCode)
	}
	if r := get(t, p.Handler(), "GET", "/feeds/all.rss", nil); r.StatusCode != 503 {
		t.Errorf("feed before the first render = %d, want 503", r.StatusCode)
	}
}

func TestExplainEndpoint(t *testing.T) {
	off := newTestPublisher(t, fixture()).Handler()
	if r := get(t, off, "GET", "/explain?url=x", nil); r.StatusCode != 404 {
		t.Errorf("/explain without publish.debug = %d, want 404", r.StatusCode)
	}
	p, err := newShaped(fixture(), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		BaseURL: "http://x.example",
		Explain: func(_ context.Context, arg string) (string, error) { return "explained " + arg + "\n", nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	h := p.Handler()
	resp := get(t, h, "GET", "/explain?url=https%3A%2F%2Fa.example%2F1", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "explained https://a.example/1\n" || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("/explain = %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if r := get(t, h, "GET", "/explain", nil); r.StatusCode != 400 {
		t.Errorf("/explain without a query = %d, want 400", r.StatusCode)
	}
}

func TestWebSubAndMaxAge(t *testing.T) {
	var mu sync.Mutex
	var pings []string
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		pings = append(pings, r.Form.Get("hub.mode")+" "+r.Form.Get("hub.url"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	st := fixture()
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		BaseURL: "http://news.example", Title: "t", Limit: 50, Hub: hub.URL, MaxAge: 10 * time.Minute,
		Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine war"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if len(pings) != 0 {
		t.Errorf("pings on the first render: %v", pings)
	}
	for name, want := range map[string]string{
		"ukraine.rss":  `<atom:link href="` + hub.URL + `" rel="hub"></atom:link>`,
		"ukraine.atom": `<link href="` + hub.URL + `" rel="hub"></link>`,
		"ukraine.json": `"type": "WebSub",`,
	} {
		if d, _ := p.doc(context.Background(), name); !bytes.Contains(d.body, []byte(want)) {
			t.Errorf("%s lacks %s", name, want)
		}
	}
	// A new story in the catch-all feed only: only its three feeds are pinged.
	st.stories[news.AllTopic] = append([]news.Story{{Key: "s3", Published: time.Now(), Updated: time.Now(),
		Items: []news.Item{{Source: "x", Title: "New", Link: "https://x.example/n"}}}}, st.stories[news.AllTopic]...)
	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := strings.Join(pings, "\n")
	mu.Unlock()
	want := "publish http://news.example/feeds/all.rss\npublish http://news.example/feeds/all.atom\npublish http://news.example/feeds/all.json"
	if got != want {
		t.Errorf("pings:\n%s\nwant:\n%s", got, want)
	}
	r := get(t, p.Handler(), "GET", "/feeds/all.rss", nil)
	if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=600" {
		t.Errorf("Cache-Control = %q", cc)
	}
}

// TestUnsafeStoredLinksNeverPublished: items stored before links were
// checked may hold javascript: or data: links; no output carries them,
// as a link or inside another story's "Also reported by".
func TestUnsafeStoredLinksNeverPublished(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 15, 0, 0, time.UTC)
	hostile := []string{"JaVaScRiPt:alert(4)", " javascript:alert(2)", "vbscript:msgbox(1)",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}
	var stories []news.Story
	for i, link := range hostile {
		stories = append(stories, news.Story{Key: string(rune('a' + i)), Published: t0, Updated: t0, Items: []news.Item{
			{Source: "bad", Title: fmt.Sprint("Hostile ", i), Link: link, Published: t0},
			{Source: "also", Title: "Copy", Link: link, Published: t0},
			{Source: "good", Title: "Copy", Link: "https://good.example/x", Published: t0},
		}})
	}
	st := &fakeStore{stories: map[string][]news.Story{news.AllTopic: stories}}
	h := newTestPublisher(t, st).Handler()
	for _, path := range []string{"/", "/feeds/all.rss", "/feeds/all.atom", "/feeds/all.json"} {
		body, _ := io.ReadAll(get(t, h, "GET", path, nil).Body)
		low := strings.ToLower(string(body))
		for _, bad := range []string{"javascript:", "vbscript:", "data:text"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s carries %s", path, bad)
			}
		}
		if n := strings.Count(string(body), "https://good.example/x"); n < len(hostile) {
			t.Errorf("%s: the safe copy's link appears %d times, want at least %d", path, n, len(hostile))
		}
	}
}

// TestLinklessRepresentative: a story whose representative has no link
// (or only an unsafe one) links to the next copy that has one, in every
// format and on the front page — never <link></link> or href="".
func TestLinklessRepresentative(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 15, 0, 0, time.UTC)
	s := news.Story{Key: "l1", Published: t0, Updated: t0, Items: []news.Item{
		{Source: "first", Title: "Linkless first copy", Published: t0},
		{Source: "second", Title: "Unsafe second copy", Link: "javascript:alert(1)", Published: t0.Add(time.Minute)},
		{Source: "third", Title: "Third copy", Link: "https://third.example/story", Published: t0.Add(2 * time.Minute)},
	}}
	h := newTestPublisher(t, &fakeStore{stories: map[string][]news.Story{news.AllTopic: {s}}}).Handler()
	for _, f := range formats() {
		body, _ := io.ReadAll(get(t, h, "GET", "/feeds/all."+string(f), nil).Body)
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if it := feed.Items[0]; it.Title != "Linkless first copy" || it.Link != "https://third.example/story" {
			t.Errorf("%s: %q links %q, want the third copy's link", f, it.Title, it.Link)
		}
		if bytes.Contains(body, []byte("<link></link>")) || bytes.Contains(body, []byte(`href=""`)) {
			t.Errorf("%s has an empty link:\n%s", f, body)
		}
	}
	page, _ := io.ReadAll(get(t, h, "GET", "/", nil).Body)
	if bytes.Contains(page, []byte(`href=""`)) || !bytes.Contains(page, []byte("https://third.example/story")) {
		t.Errorf("the front page does not link the third copy:\n%s", page)
	}
}

// TestHeadlineOnlyEntriesHaveContent: an upstream that gives a headline
// and nothing else still yields an entry with textual content, the same
// in every format: who reported it, and who else did.
func TestHeadlineOnlyEntriesHaveContent(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 15, 0, 0, time.UTC)
	bare := news.Story{Key: "b1", Published: t0, Updated: t0, Items: []news.Item{
		{Source: "northwind", Title: "Bare headline", Link: "https://northwind.example/bare", Published: t0},
		{Source: "harbor", Title: "Bare headline too", Link: "https://harbor.example/bare", Published: t0},
	}}
	h := newTestPublisher(t, &fakeStore{stories: map[string][]news.Story{news.AllTopic: {bare}}}).Handler()
	want := `<p>Reported by northwind.</p><p>Also reported by: <a href="https://harbor.example/bare" rel="noopener noreferrer">harbor</a></p>` +
		`<p><a href="http://news.example:8080/stories/b1">All coverage: 2 outlets</a></p>`
	for _, f := range formats() {
		body, _ := io.ReadAll(get(t, h, "GET", "/feeds/all."+string(f), nil).Body)
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		it := feed.Items[0]
		if got := it.Description + it.Content; got != want {
			t.Errorf("%s: content %q, want %q", f, got, want)
		}
		if f == Atom && !bytes.Contains(body, []byte("<summary type=\"html\">&lt;p&gt;Reported by northwind.")) {
			t.Errorf("atom entry without textual content:\n%s", body)
		}
	}
}

// newShaped is New with the feeds' shape a test leaves unset filled in as
// the config's defaults have it (config.Default), so each test says only
// what it is about.
func newShaped(st store.Store, logger *slog.Logger, opts Options) (*Publisher, error) {
	if opts.Limit == 0 {
		opts.Limit = 50
	}
	if opts.MaxAge == 0 {
		opts.MaxAge = 5 * time.Minute
	}
	if opts.Hot == (Hot{}) {
		opts.Hot = Hot{Window: 24 * time.Hour, MinSources: 2}
	}
	return New(st, logger, opts)
}
