package publish

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tributary/news"
)

// countingStore counts the stories read, to see when the publisher renders.
type countingStore struct {
	*fakeStore
	reads atomic.Int32
}

func (c *countingStore) Stories(ctx context.Context, topic string, limit int) ([]news.Story, error) {
	c.reads.Add(1)
	return c.fakeStore.Stories(ctx, topic, limit)
}

// TestLazyRender: after a change, a feed is rendered at its next request,
// not before; its Last-Modified is when the change happened, not when it
// was asked for; a second request renders nothing.
func TestLazyRender(t *testing.T) {
	st := &countingStore{fakeStore: fixture()}
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		BaseURL: "http://news.example", Title: "t", Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine"}},
		Now: func() time.Time { return clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	h := p.Handler()
	st.reads.Store(0)

	clock = clock.Add(time.Minute) // a poll changes the catch-all at 12:01
	st.stories[news.AllTopic][0].Items[0].Title = "Quantum chip, corrected"
	p.Changed(ctx, nil)
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := st.reads.Load(); n != 0 {
		t.Errorf("a flush read the store %d times; rendering waits for a reader", n)
	}
	clock = clock.Add(time.Hour) // the first reader comes at 13:01
	resp := get(t, h, "GET", "/feeds/all.rss", nil)
	body, _ := io.ReadAll(resp.Body)
	if n := st.reads.Load(); n != 1 || !contains(body, "Quantum chip, corrected") {
		t.Errorf("first request: %d reads, body has the edit %v", n, contains(body, "Quantum chip, corrected"))
	}
	if lm := resp.Header.Get("Last-Modified"); lm != "Mon, 30 Nov 2026 12:01:00 GMT" {
		t.Errorf("Last-Modified = %q, want the change's time, 12:01", lm)
	}
	get(t, h, "GET", "/feeds/all.atom", nil)
	get(t, h, "GET", "/feeds/ukraine.rss", nil) // not changed: not rendered
	if n := st.reads.Load(); n != 1 {
		t.Errorf("%d reads after three requests, want the one render of the catch-all", n)
	}
}

// TestFragmentCacheBound: the entry cache holds the entries of the
// stories the documents show, no more, whatever has come and gone.
func TestFragmentCacheBound(t *testing.T) {
	st := fixture()
	p := newTestPublisher(t, st)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 27, 8, 15, 0, 0, time.UTC)
	for round := range 5 {
		var stories []news.Story
		for i := range 60 { // more than the limit of 50: ten fall off
			stories = append(stories, news.Story{Key: fmt.Sprint("r", round, "-", i), Published: t0, Updated: t0,
				Items: []news.Item{{Source: "s", Title: fmt.Sprint("story ", round, i), Link: "https://s.example/x"}}})
		}
		st.stories[news.AllTopic] = stories
		st.stories["ukraine"] = stories[:3]
		if err := p.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// all: 50 stories in 3 formats; ukraine's 3 are among them.
	if n := p.render.cache.size(); n != 150 {
		t.Errorf("%d entries cached, want 150 (50 stories shown, 3 formats)", n)
	}
	if err := p.SetTopics(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := p.render.cache.size(); n != 150 {
		t.Errorf("after the topic left: %d entries cached, want 150", n)
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
