package aggregator_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/fetch"
	"tributary/internal/fixture"
	"tributary/news"
	"tributary/sqlite"
	"tributary/topic"
)

// upstream is a test feed server whose body and status can be changed.
type upstream struct {
	mu         sync.Mutex
	body       string
	status     int
	honourETag atomic.Bool
	hits       atomic.Int32
}

func (u *upstream) set(status int, body string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.status, u.body = status, body
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.hits.Add(1)
	u.mu.Lock()
	defer u.mu.Unlock()
	etag := fmt.Sprintf(`"%x"`, len(u.body)+u.status)
	if u.honourETag.Load() && r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.WriteHeader(u.status)
	io.WriteString(w, u.body)
}

func rss(items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://up.example/</link>`)
	for _, it := range items {
		b.WriteString(it)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// rssItem is an RSS item published at pub.
func rssItem(guid, title, link string, pub time.Time) string {
	return fmt.Sprintf(`<item><guid>%s</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate></item>`,
		guid, title, link, pub.UTC().Format(time.RFC1123Z))
}

type counter struct {
	n    atomic.Int32
	mu   sync.Mutex
	last []string
}

func (c *counter) Changed(_ context.Context, topics []string) {
	c.n.Add(1)
	c.mu.Lock()
	c.last = topics
	c.mu.Unlock()
}

func (c *counter) lastTopics() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprint(c.last)
}

// setup returns an aggregator over a fresh store whose clock says now.
func setup(t testing.TB, now time.Time) (*aggregator.Aggregator, *sqlite.DB, *counter) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ukraine, err := topic.New("ukraine", "", topic.Rules{Any: []string{"kyiv"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	idx := aggregator.MustIndex(t)
	c := &counter{}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := func() time.Time { return now }
	return aggregator.New(db, aggregator.Fetcher(0, clock), idx, topic.Set{ukraine}, c, logger, aggregator.Options{Now: clock}), db, c
}

func TestPollLifecycle(t *testing.T) { fixture.AtClocks(t, testPollLifecycle) }

func testPollLifecycle(t *testing.T, now time.Time) {
	ctx := context.Background()
	pub := now.Add(-time.Hour)
	up := &upstream{}
	up.honourETag.Store(true)
	up.set(200, rss(rssItem("1", "Talks in Kyiv", "https://up.example/1", pub), rssItem("2", "Rates", "https://up.example/2", pub)))
	srv := httptest.NewServer(up)
	defer srv.Close()
	agg, db, changed := setup(t, now)
	src := news.Source{Name: "up", URL: srv.URL, Timeout: time.Second}

	res, err := agg.Poll(ctx, src)
	if err != nil || res.Outcome != aggregator.OutcomeChanged || res.New != 2 {
		t.Fatalf("first poll = %+v, %v", res, err)
	}
	if changed.n.Load() != 1 || changed.lastTopics() != "[ukraine]" {
		t.Errorf("notifier called %d times, last with %s; want once with [ukraine]", changed.n.Load(), changed.lastTopics())
	}
	res, _ = agg.Poll(ctx, src)
	if res.Outcome != aggregator.OutcomeNotModified {
		t.Errorf("second poll = %+v, want not modified", res)
	}

	up.honourETag.Store(false)
	res, _ = agg.Poll(ctx, src)
	if res.Outcome != aggregator.OutcomeUnchanged || res.Unchanged != 2 {
		t.Errorf("poll without 304 = %+v, want 2 unchanged", res)
	}

	up.set(200, rss(rssItem("1", "Talks in Kyiv resume", "https://up.example/1", pub), rssItem("2", "Rates", "https://up.example/2", pub)))
	res, _ = agg.Poll(ctx, src)
	if res.Outcome != aggregator.OutcomeChanged || res.Updated != 1 || res.New != 0 {
		t.Errorf("poll after an edit = %+v, want 1 updated", res)
	}
	// An edit that takes an item out of a topic changes that topic too.
	up.set(200, rss(rssItem("1", "Talks resume", "https://up.example/1", pub), rssItem("2", "Rates", "https://up.example/2", pub)))
	agg.Poll(ctx, src)
	if changed.lastTopics() != "[ukraine]" {
		t.Errorf("edit leaving a topic notified %s, want [ukraine]", changed.lastTopics())
	}
	if ukr, _ := db.Stories(ctx, "ukraine", 10); len(ukr) != 0 {
		t.Errorf("ukraine still holds the edited item")
	}
	up.set(200, rss(rssItem("1", "Talks in Kyiv resume", "https://up.example/1", pub), rssItem("2", "Rates", "https://up.example/2", pub)))
	agg.Poll(ctx, src)
	stories, err := db.Stories(ctx, news.AllTopic, 10)
	if err != nil || len(stories) != 2 {
		t.Fatalf("stories = %d, %v; want 2", len(stories), err)
	}
	ukr, _ := db.Stories(ctx, "ukraine", 10)
	if len(ukr) != 1 || ukr[0].Items[0].Title != "Talks in Kyiv resume" {
		t.Errorf("ukraine = %+v", ukr)
	}
}

func TestPollFailuresKeepStoredItems(t *testing.T) {
	fixture.AtClocks(t, testPollFailuresKeepStoredItems)
}

func testPollFailuresKeepStoredItems(t *testing.T, now time.Time) {
	ctx := context.Background()
	pub := now.Add(-time.Hour)
	up := &upstream{}
	up.set(200, rss(rssItem("1", "Kept", "https://up.example/1", pub)))
	srv := httptest.NewServer(up)
	defer srv.Close()
	agg, db, _ := setup(t, now)
	src := news.Source{Name: "up", URL: srv.URL, Timeout: time.Second}
	if res, err := agg.Poll(ctx, src); err != nil || res.New != 1 {
		t.Fatalf("first poll = %+v, %v", res, err)
	}
	good, _ := db.FetchState(ctx, "up")

	tests := []struct {
		name, body, want string
		status           int
	}{
		{"server error", "oops", "up: fetch: 500 Internal Server Error", 500},
		{"html page", "<!DOCTYPE html><html><body>Login</body></html>", "up: parse: HTML page, not a feed", 200},
		{"truncated xml", rss(rssItem("2", "x", "https://up.example/2", pub))[:90], "up: parse:", 200},
		{"empty body", "", "up: parse: empty body", 200},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up.set(tt.status, tt.body)
			res, err := agg.Poll(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != aggregator.OutcomeError || !strings.HasPrefix(res.Err.Error(), tt.want) {
				t.Errorf("result = %+v, want error %q", res, tt.want)
			}
			st, _ := db.FetchState(ctx, "up")
			if !strings.HasPrefix(st.LastError, tt.want) || st.Failures != i+1 {
				t.Errorf("state = %+v, want last error %q and %d failures", st, tt.want, i+1)
			}
			if st.ETag != good.ETag || !st.LastSuccess.Equal(good.LastSuccess) {
				t.Errorf("a failure moved the validators or last success: %+v", st)
			}
			stories, _ := db.Stories(ctx, news.AllTopic, 10)
			if len(stories) != 1 || stories[0].Items[0].Title != "Kept" {
				t.Errorf("stored items changed: %+v", stories)
			}
		})
	}
	up.set(200, rss(rssItem("1", "Kept", "https://up.example/1", pub)))
	agg.Poll(ctx, src)
	if st, _ := db.FetchState(ctx, "up"); st.Failures != 0 || st.LastError != "" {
		t.Errorf("after recovery: %+v", st)
	}
}

func TestPollCollapsesSharedLinks(t *testing.T) { fixture.AtClocks(t, testPollCollapsesSharedLinks) }

func testPollCollapsesSharedLinks(t *testing.T, now time.Time) {
	ctx := context.Background()
	pub := now.Add(-time.Hour)
	a, b := &upstream{}, &upstream{}
	a.set(200, rss(rssItem("a1", "Glacier collapse buries Alpine village", "https://wire.example/s?utm_source=a", pub)))
	b.set(200, rss(rssItem("b1", "Rescuers search for survivors after glacier collapse", "http://WIRE.example/s/#x", pub),
		rssItem("b2", "Central bank holds interest rates", "https://b.example/own", pub)))
	sa, sb := httptest.NewServer(a), httptest.NewServer(b)
	defer sa.Close()
	defer sb.Close()
	agg, db, _ := setup(t, now)
	agg.Poll(ctx, news.Source{Name: "a", URL: sa.URL})
	res, _ := agg.Poll(ctx, news.Source{Name: "b", URL: sb.URL})
	if res.New != 2 || res.Merged != 1 {
		t.Errorf("b poll = %+v, want 2 new, 1 merged", res)
	}
	stories, _ := db.Stories(ctx, news.AllTopic, 10)
	if len(stories) != 2 {
		t.Fatalf("stories = %d, want 2", len(stories))
	}
	for _, s := range stories {
		if s.Items[0].Source == "a" && len(s.Items) != 2 {
			t.Errorf("shared story has %d items, want 2", len(s.Items))
		}
	}
}

func TestCancelledPollIsNotAFailure(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	agg, db, _ := setup(t, time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := agg.Poll(ctx, news.Source{Name: "up", URL: srv.URL, Timeout: 10 * time.Second}); err == nil {
		t.Error("a cancelled poll returned no error")
	}
	if st, _ := db.FetchState(context.Background(), "up"); st.Failures != 0 || st.LastError != "" {
		t.Errorf("shutdown was recorded as the source's failure: %+v", st)
	}
}

// TestPollErrorSaysOpOnce: "bbc: fetch: body too large", never "fetch:
// fetch:" when the cause already names the step.
func TestPollErrorSaysOpOnce(t *testing.T) {
	for _, tt := range []struct {
		err  *aggregator.PollError
		want string
	}{
		{&aggregator.PollError{Source: "bbc", Op: "fetch", Err: fmt.Errorf("%w: more than 10 bytes", fetch.ErrTooLarge)}, "bbc: fetch: body too large: more than 10 bytes"},
		{&aggregator.PollError{Source: "bbc", Op: "parse", Err: errors.New("EOF")}, "bbc: parse: EOF"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
}

// TestOutletRenamed: a poll that finds the outlet renamed, with no new
// item, is a change of every entry crediting it: the feeds are told, and
// the stored name follows; the next poll with the same name changes
// nothing.
func TestOutletRenamed(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	up := &upstream{}
	named := func(title string) string {
		return strings.Replace(rss(rssItem("1", "Talks in Kyiv", "https://up.example/1", now.Add(-time.Hour))), "<title>t</title>", "<title>"+title+"</title>", 1)
	}
	up.set(200, named("Sky News"))
	srv := httptest.NewServer(up)
	defer srv.Close()
	agg, db, changed := setup(t, now)
	src := news.Source{Name: "up", URL: srv.URL, Timeout: time.Second}
	if _, err := agg.Poll(ctx, src); err != nil {
		t.Fatal(err)
	}
	before := changed.n.Load()
	up.set(200, named("Sky News Australia"))
	res, err := agg.Poll(ctx, src)
	if err != nil || res.Outcome != aggregator.OutcomeChanged || !res.Renamed || res.New != 0 {
		t.Fatalf("renamed: %+v, %v", res, err)
	}
	if changed.n.Load() != before+1 || changed.lastTopics() != "[ukraine]" {
		t.Errorf("the feeds were told %d times, last of %s; want once more, of every topic", changed.n.Load()-before, changed.lastTopics())
	}
	stories, err := db.Stories(ctx, news.AllTopic, 10)
	if err != nil || len(stories) != 1 || stories[0].Items[0].Outlet.Label() != "Sky News Australia" {
		t.Fatalf("stored outlet: %+v, %v", stories, err)
	}
	if res, _ := agg.Poll(ctx, src); res.Outcome != aggregator.OutcomeUnchanged {
		t.Errorf("the same name again: %+v", res)
	}
}

// TestOutletTitleConfigured: a source's configured title names its outlet
// from the start and whatever its feed calls itself.
func TestOutletTitleConfigured(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	up := &upstream{}
	up.set(200, strings.Replace(rss(rssItem("1", "Talks in Kyiv", "https://up.example/1", now.Add(-time.Hour))), "<title>t</title>", "<title>UK homepage</title>", 1))
	srv := httptest.NewServer(up)
	defer srv.Close()
	agg, db, _ := setup(t, now)
	src := news.Source{Name: "ft", URL: srv.URL, Timeout: time.Second, Title: "Financial Times"}
	if err := db.SyncSources(ctx, []news.Source{src}); err != nil {
		t.Fatal(err)
	}
	recs, err := db.Sources(ctx)
	if err != nil || len(recs) != 1 || recs[0].Title != "Financial Times" {
		t.Fatalf("before a poll: %+v, %v", recs, err)
	}
	if _, err := agg.Poll(ctx, src); err != nil {
		t.Fatal(err)
	}
	stories, err := db.Stories(ctx, news.AllTopic, 10)
	if err != nil || len(stories) != 1 || stories[0].Items[0].Outlet.Label() != "Financial Times" {
		t.Fatalf("after a poll: %+v, %v", stories, err)
	}
}
