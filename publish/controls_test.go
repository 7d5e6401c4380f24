package publish

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"tributary/news"
)

// TestOutputControls: a topic's limit, max_age, per_source and
// min_sources decide what its feeds show; stories they leave out are
// made up from older ones; retention keeps what renders read.
func TestOutputControls(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	story := func(i int, age time.Duration, sources ...string) news.Story {
		s := news.Story{Key: fmt.Sprint("k", i), Published: now.Add(-age), Updated: now.Add(-age)}
		for _, src := range sources {
			s.Items = append(s.Items, news.Item{Source: src, Title: fmt.Sprintf("story %d", i), Link: fmt.Sprintf("https://%s.example/%d", src, i), Published: now.Add(-age)})
		}
		return s
	}
	// Newest first, as the store gives them.
	stories := []news.Story{
		story(1, time.Hour, "loud"),
		story(2, 2*time.Hour, "loud", "quiet"),
		story(3, 3*time.Hour, "loud"),
		story(4, 4*time.Hour, "quiet", "third"),
		story(5, 50*time.Hour, "other", "quiet"),
	}
	for _, tt := range []struct {
		name  string
		topic news.Topic
		want  string
	}{
		{"limit", news.Topic{Limit: 2}, "1 2"},
		{"per_source", news.Topic{PerSource: 1}, "1 4 5"},
		{"min_sources", news.Topic{MinSources: 2}, "2 4 5"},
		{"max_age", news.Topic{MaxAge: 24 * time.Hour}, "1 2 3 4"},
		{"together", news.Topic{MinSources: 2, MaxAge: 24 * time.Hour, Limit: 1}, "2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.topic.Name = "t"
			st := &fakeStore{stories: map[string][]news.Story{"t": stories, news.AllTopic: stories}}
			p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{BaseURL: "http://news.example", Limit: 50,
				Topics: []news.Topic{tt.topic}, Version: "test", Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.topicStories(context.Background(), tt.topic)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, s := range got {
				keys = append(keys, strings.TrimPrefix(s.Key, "k"))
			}
			if strings.Join(keys, " ") != tt.want {
				t.Errorf("shows %v, want %s", keys, tt.want)
			}
		})
	}
	p, err := newShaped(&fakeStore{}, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{BaseURL: "http://news.example", Limit: 50,
		Topics: []news.Topic{{Name: "a", Limit: 70}, {Name: "b", Limit: 30, PerSource: 2}}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Keep(); got != 280 {
		t.Errorf("Keep = %d, want 280 (a's limit of 70, read four times over)", got)
	}
}

// TestMuted: muted items leave every feed and the front page; a story
// keeps its other copies, one of muted copies only is left out, and
// older stories take its place.
func TestMuted(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	mk := func(key string, titles ...string) news.Story {
		s := news.Story{Key: key, Published: now, Updated: now}
		for i, title := range titles {
			s.Items = append(s.Items, news.Item{Source: fmt.Sprint("s", i), Title: title, Link: "https://x.example/" + key + fmt.Sprint(i), Published: now})
		}
		return s
	}
	stories := []news.Story{mk("a", "horoscope today"), mk("b", "horoscope copy", "real news"), mk("c", "more news")}
	st := &fakeStore{stories: map[string][]news.Story{news.AllTopic: stories}}
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{BaseURL: "http://news.example", Limit: 2, Version: "test", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	p.SetMute(func(it *news.Item) bool { return strings.Contains(it.Title, "horoscope") })
	got, err := p.topicStories(context.Background(), news.Topic{Name: news.AllTopic})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != "b" || len(got[0].Items) != 1 || got[0].Items[0].Title != "real news" || got[1].Key != "c" {
		t.Errorf("shown: %+v", got)
	}
	if p.Keep() != latestOnPage*filterHeadroom {
		t.Errorf("Keep = %d with a mute list", p.Keep())
	}
	p.SetMute(nil)
	if got, _ := p.topicStories(context.Background(), news.Topic{Name: news.AllTopic}); len(got) != 2 || got[0].Key != "a" {
		t.Errorf("unmuted: %+v", got)
	}
}

// TestHot: the hot feed holds the stories of the window that enough
// outlets carry, most carried first with recency, under the story's own
// id, listing every outlet's headline and link; /feeds/hot.rss and
// /feeds/{topic}.hot.rss are served.
func TestHot(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	mk := func(key string, age time.Duration, sources ...string) news.Story {
		s := news.Story{Key: key, Topics: []string{"t"}, Published: now.Add(-age), Updated: now.Add(-age)}
		for _, src := range sources {
			s.Items = append(s.Items, news.Item{Source: src, Title: src + " on " + key, Link: "https://" + src + ".example/" + key, Published: now.Add(-age),
				Outlet: news.Outlet{Name: src}})
		}
		return s
	}
	stories := []news.Story{
		mk("fresh2", time.Hour, "a", "b"),
		mk("solo", 2*time.Hour, "a"),
		mk("older3", 10*time.Hour, "a", "b", "c"),
		mk("old4", 30*time.Hour, "a", "b", "c", "d"), // out of the window
		mk("dup", 3*time.Hour, "a", "a"),             // one outlet twice
	}
	st := &fakeStore{stories: map[string][]news.Story{"t": stories, news.AllTopic: stories}}
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{BaseURL: "http://news.example", Version: "test",
		Topics: []news.Topic{{Name: "t", Title: "T"}}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.hotStories(context.Background(), news.Topic{Name: "t"}, false)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range got {
		keys = append(keys, s.Key)
	}
	// fresh2: 2 × 2^(-4·1/24) = 1.78; older3: 3 × 2^(-4·10/24) = 0.94.
	if strings.Join(keys, " ") != "fresh2 older3" {
		t.Errorf("hot = %v, want fresh2 older3", keys)
	}
	if err := p.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := p.Handler()
	for _, path := range []string{"/feeds/hot.rss", "/feeds/t.hot.atom", "/feeds/hot.json"} {
		resp := get(t, h, "GET", path, nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(body), "Carried by 3 outlets") || !strings.Contains(string(body), "c on older3") {
			t.Errorf("%s: %d %.300s", path, resp.StatusCode, body)
		}
	}
	plain, _ := io.ReadAll(get(t, h, "GET", "/feeds/t.rss", nil).Body)
	hot, _ := io.ReadAll(get(t, h, "GET", "/feeds/t.hot.rss", nil).Body)
	id := `<guid isPermaLink="false">tag:news.example,2026:story/older3</guid>`
	if !strings.Contains(string(plain), id) || !strings.Contains(string(hot), id) || strings.Contains(string(plain), "Carried by") {
		t.Errorf("the hot entry carries the story's own id %s, the plain feed its usual entry", id)
	}
	opml, _ := io.ReadAll(get(t, h, "GET", "/opml", nil).Body)
	for _, feed := range []string{"/feeds/t.rss", "/feeds/t.hot.rss", "/feeds/hot.rss"} {
		if !strings.Contains(string(opml), feed+`"`) {
			t.Errorf("/opml lists no %s:\n%s", feed, opml)
		}
	}
}

// TestRerank: with no new story, the hot feeds follow the clock — a
// story leaves the hot feed once its window has passed — because
// RunRerank renders every topic again on its own.
func TestRerank(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := news.Story{Key: "k", Topics: []string{"t"}, Published: now.Add(-time.Hour), Updated: now.Add(-time.Hour)}
	for _, src := range []string{"a", "b"} {
		s.Items = append(s.Items, news.Item{Source: src, Title: src + " on k", Link: "https://" + src + ".example/k", Published: s.Published})
	}
	st := &fakeStore{stories: map[string][]news.Story{"t": {s}, news.AllTopic: {s}}}
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{BaseURL: "http://news.example", Version: "test",
		Topics: []news.Topic{{Name: "t", Title: "T"}}, Now: clock, Rerank: 5 * time.Millisecond, Coalesce: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := p.Handler()
	body := func() string { b, _ := io.ReadAll(get(t, h, "GET", "/feeds/t.hot.rss", nil).Body); return string(b) }
	if !strings.Contains(body(), "a on k") {
		t.Fatal("the hot feed lacks the story to begin with")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = p.Run(ctx) }()
	go p.RunRerank(ctx)
	mu.Lock()
	now = now.Add(24 * time.Hour) // the story's window has passed; nothing else happens
	mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(body(), "a on k") {
		if time.Now().After(deadline) {
			t.Fatal("the hot feed still holds a story past its window: nothing ranked it again")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
