package aggregator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/internal/fixture"
	"tributary/news"
)

// counted is an upstream that counts requests by path.
type counted struct {
	mu   sync.Mutex
	hits map[string]int
	mux  *http.ServeMux
}

func newCounted() *counted { return &counted{hits: map[string]int{}, mux: http.NewServeMux()} }

func (c *counted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.hits[r.URL.Path]++
	c.mu.Unlock()
	c.mux.ServeHTTP(w, r)
}

func (c *counted) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits[path]
}

const okFeed = `<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>Glacier collapse buries village</title><link>https://up.example/1</link></item></channel></rss>`

func TestRetryAfterAndBackoff(t *testing.T) { fixture.AtClocks(t, testRetryAfterAndBackoff) }

func testRetryAfterAndBackoff(t *testing.T, now time.Time) {
	ctx := context.Background()
	up := newCounted()
	up.mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	up.mux.HandleFunc("/503", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", now.Add(2*time.Hour).UTC().Format(http.TimeFormat))
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	var flaky sync.Mutex
	fail := true
	up.mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		flaky.Lock()
		defer flaky.Unlock()
		if fail {
			http.Error(w, "oops", 500)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Write([]byte(okFeed))
	})
	srv := httptest.NewServer(up)
	defer srv.Close()
	agg, db, _ := setup(t, now)

	for _, tt := range []struct {
		path, want string
		wait       time.Duration
	}{
		{"/429", "429 Too Many Requests, retry after ", time.Hour},
		{"/503", "503 Service Unavailable, retry after ", 2 * time.Hour},
	} {
		src := news.Source{Name: strings.Trim(tt.path, "/"), URL: srv.URL + tt.path}
		res, _ := agg.PollScheduled(ctx, src)
		if res.Outcome != aggregator.OutcomeError || !strings.Contains(res.Err.Error(), tt.want) {
			t.Errorf("%s: %+v, want an error with %q", tt.path, res, tt.want)
		}
		st, _ := db.FetchState(ctx, src.Name)
		if d := st.NotBefore.Sub(now); d < tt.wait-time.Minute || d > tt.wait+time.Minute {
			t.Errorf("%s: next poll in %v, want about %v", tt.path, d, tt.wait)
		}
		if res, _ := agg.PollScheduled(ctx, src); res.Outcome != aggregator.OutcomeWaiting || up.count(tt.path) != 1 {
			t.Errorf("%s: scheduled poll while asked to wait: %+v, %d requests", tt.path, res, up.count(tt.path))
		}
		agg.Poll(ctx, src) // a manual fetch still asks
		if up.count(tt.path) != 2 {
			t.Errorf("%s: manual poll did not fetch", tt.path)
		}
	}

	flakySrc := news.Source{Name: "flaky", URL: srv.URL + "/flaky"}
	agg.PollScheduled(ctx, flakySrc)
	st, _ := db.FetchState(ctx, "flaky")
	if st.Failures != 1 || st.NotBefore.Before(now.Add(30*time.Second)) || st.NotBefore.After(now.Add(2*time.Minute)) {
		t.Errorf("after one failure: %+v, want a backoff of about a minute", st)
	}
	agg.Poll(ctx, flakySrc)
	st, _ = db.FetchState(ctx, "flaky")
	if st.Failures != 2 || st.NotBefore.Before(now.Add(80*time.Second)) {
		t.Errorf("after two failures: %+v, want a longer backoff", st)
	}
	flaky.Lock()
	fail = false
	flaky.Unlock()
	res, _ := agg.Poll(ctx, flakySrc)
	st, _ = db.FetchState(ctx, "flaky")
	if res.Outcome != aggregator.OutcomeChanged || st.Failures != 0 || st.LastError != "" {
		t.Errorf("recovery: %+v %+v", res, st)
	}
	if d := st.NotBefore.Sub(now); d < 9*time.Minute || d > 11*time.Minute {
		t.Errorf("max-age=600: next poll in %v, want 10m", d)
	}
}

func TestRedirectsAndGone(t *testing.T) {
	ctx := context.Background()
	up := newCounted()
	up.mux.Handle("/old", http.RedirectHandler("/older", http.StatusMovedPermanently))
	up.mux.Handle("/older", http.RedirectHandler("/new", http.StatusPermanentRedirect))
	up.mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(okFeed)) })
	up.mux.Handle("/temp", http.RedirectHandler("/new", http.StatusFound))
	up.mux.Handle("/mixed", http.RedirectHandler("/temp", http.StatusMovedPermanently))
	up.mux.Handle("/loop", http.RedirectHandler("/loop2", http.StatusMovedPermanently))
	up.mux.Handle("/loop2", http.RedirectHandler("/loop", http.StatusMovedPermanently))
	for i := range 7 {
		up.mux.Handle(fmt.Sprintf("/hop%d", i), http.RedirectHandler(fmt.Sprintf("/hop%d", i+1), http.StatusFound))
	}
	up.mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	srv := httptest.NewServer(up)
	defer srv.Close()
	agg, db, _ := setup(t, time.Now())

	old := news.Source{Name: "moved", URL: srv.URL + "/old"}
	if res, _ := agg.Poll(ctx, old); res.Outcome != aggregator.OutcomeChanged {
		t.Fatalf("301 chain: %+v", res)
	}
	st, _ := db.FetchState(ctx, "moved")
	if st.MovedFrom != old.URL || st.MovedTo != srv.URL+"/new" {
		t.Errorf("301+308 chain: moved %q -> %q", st.MovedFrom, st.MovedTo)
	}
	agg.Poll(ctx, old)
	if up.count("/old") != 1 || up.count("/new") != 2 {
		t.Errorf("after a permanent move: /old %d, /new %d requests; want 1 and 2", up.count("/old"), up.count("/new"))
	}
	for _, path := range []string{"/temp", "/mixed"} {
		src := news.Source{Name: strings.Trim(path, "/"), URL: srv.URL + path}
		agg.Poll(ctx, src)
		if st, _ := db.FetchState(ctx, src.Name); st.MovedTo != "" {
			t.Errorf("%s: recorded a move to %q, want none (not every hop permanent)", path, st.MovedTo)
		}
	}
	for path, want := range map[string]string{"/loop": "redirect loop", "/hop0": "more than 5 redirects"} {
		src := news.Source{Name: strings.Trim(path, "/"), URL: srv.URL + path}
		if res, _ := agg.Poll(ctx, src); res.Outcome != aggregator.OutcomeError || !strings.Contains(res.Err.Error(), want) {
			t.Errorf("%s: %+v, want %q", path, res, want)
		}
	}

	gone := news.Source{Name: "gone", URL: srv.URL + "/gone"}
	agg.Poll(ctx, gone)
	if res, _ := agg.Poll(ctx, gone); res.Outcome != aggregator.OutcomeRetired || up.count("/gone") != 1 {
		t.Errorf("after 410: %+v with %d requests, want retired and no request", res, up.count("/gone"))
	}
	gone.URL = srv.URL + "/new" // the config changed
	if res, _ := agg.Poll(ctx, gone); res.Outcome == aggregator.OutcomeRetired {
		t.Error("a retired source with a new URL is still retired")
	}
}

func TestMaxItems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := range 5000 {
		fmt.Fprintf(&b, `<item><guid>%d</guid><title>Headline zq%dx about event number %d</title></item>`, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	body := b.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }))
	defer srv.Close()
	agg, _, _ := setup(t, time.Now())
	res, err := agg.Poll(context.Background(), news.Source{Name: "big", URL: srv.URL})
	if err != nil || res.New != 500 {
		t.Errorf("5,000 items: %+v, %v; want 500 stored", res, err)
	}
}

func TestPollHonoursHTTPCharset(t *testing.T) {
	body := "<rss version=\"2.0\"><channel><title>t</title><item><guid>1</guid><title>Caf\xe9 \x93owner\x94 wins \x80100</title></item></channel></rss>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=windows-1252")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	agg, db, _ := setup(t, time.Now())
	if res, err := agg.Poll(context.Background(), news.Source{Name: "cp1252", URL: srv.URL}); err != nil || res.New != 1 {
		t.Fatalf("poll: %+v, %v", res, err)
	}
	s, _ := db.Stories(context.Background(), news.AllTopic, 1)
	if got, want := s[0].Items[0].Title, "Café “owner” wins €100"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
}

// TestRSSTTLDefersPolls: an RSS channel's <ttl> defers the next scheduled
// poll as max-age does; a manual poll still fetches.
func TestRSSTTLDefersPolls(t *testing.T) { fixture.AtClocks(t, testRSSTTLDefersPolls) }

func testRSSTTLDefersPolls(t *testing.T, now time.Time) {
	ctx := context.Background()
	up := newCounted()
	up.mux.HandleFunc("/ttl", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Replace(okFeed, "<title>t</title>", "<title>t</title><ttl>90</ttl>", 1)))
	})
	srv := httptest.NewServer(up)
	defer srv.Close()
	agg, db, _ := setup(t, now)
	src := news.Source{Name: "ttl", URL: srv.URL + "/ttl"}
	if res, _ := agg.PollScheduled(ctx, src); res.Outcome != aggregator.OutcomeChanged {
		t.Fatalf("first poll: %+v", res)
	}
	st, _ := db.FetchState(ctx, src.Name)
	if d := st.NotBefore.Sub(now); d < 89*time.Minute || d > 91*time.Minute {
		t.Errorf("next poll in %v, want the feed's ttl of 90 minutes", d)
	}
	if res, _ := agg.PollScheduled(ctx, src); res.Outcome != aggregator.OutcomeWaiting || up.count("/ttl") != 1 {
		t.Errorf("a scheduled poll within the ttl: %+v, %d requests", res, up.count("/ttl"))
	}
}
