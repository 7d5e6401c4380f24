package aggregator_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/news"
	"tributary/sqlite"
	"tributary/store"
	"tributary/text"
	"tributary/topic"
)

// TestStoryFiledFromAllCopies: a story's topics by example follow all its
// copies — the first outlet's odd headline files it under health, and
// when a second outlet's copy joins, both are filed under sports, the
// first refiled in the poll that brought the second — while a keyword
// rule holds of the item it matches.
func TestStoryFiledFromAllCopies(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	set := sectionsOf(t, "health", "sports", "hospitals")
	clock := func() time.Time { return now }
	agg := aggregator.New(db, aggregator.Fetcher(0, clock), aggregator.MustIndex(t), set, nil,
		slog.New(slog.NewTextHandler(io.Discard, nil)), aggregator.Options{Now: clock})
	link := "https://sport.example/liverpool-benfica"
	poll := func(name, title string) {
		t.Helper()
		up := &upstream{}
		up.set(200, rss(rssItem(name+"-1", title, link, now.Add(-time.Hour))))
		srv := httptest.NewServer(up)
		defer srv.Close()
		if _, err := agg.Poll(ctx, news.Source{Name: name, URL: srv.URL, Timeout: time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	topicsOf := func() map[string][]string {
		t.Helper()
		stories, err := db.Stories(ctx, news.AllTopic, 10)
		if err != nil || len(stories) != 1 {
			t.Fatalf("stories: %d, %v", len(stories), err)
		}
		out := map[string][]string{}
		for _, it := range stories[0].Items {
			out[it.Source] = it.Topics
		}
		return out
	}
	poll("a", "Clinical display as hospital patients watch the pressure")
	if got := topicsOf(); len(got["a"]) != 2 || got["a"][0] != "health" || got["a"][1] != "hospitals" {
		t.Fatalf("alone, the first copy is filed under %v, want [health hospitals]", got["a"])
	}
	poll("b", "Benfica beaten in Champions League football match as striker scores twice")
	got := topicsOf()
	if len(got["a"]) != 2 || got["a"][0] != "hospitals" || got["a"][1] != "sports" {
		t.Errorf("the first copy, its story joined: %v, want [hospitals sports] (the rule holds of it alone)", got["a"])
	}
	if len(got["b"]) != 1 || got["b"][0] != "sports" {
		t.Errorf("the second copy: %v, want [sports]", got["b"])
	}
}

// TestMovedStoryRefiled: when settling merges a story into another, the
// merged story's items are filed from all its items together: the odd
// headline's copy leaves health for sports.
func TestMovedStoryRefiled(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	set := sectionsOf(t, "health", "sports")
	odd := news.Item{Source: "a", GUID: "1", Story: "s1", Title: "Clinical display as hospital patients watch the pressure", Hash: "h1",
		Link: "https://a.example/1", URL: "https://a.example/1", Published: now, Updated: now, Fetched: now, Topics: []string{"health"}}
	match := news.Item{Source: "b", GUID: "2", Story: "s2", Title: "Benfica beaten in Champions League football match as striker scores twice", Hash: "h2",
		Link: "https://b.example/2", URL: "https://b.example/2", Published: now, Updated: now, Fetched: now, Topics: []string{"sports"}}
	if err := db.SavePoll(ctx, &store.Poll{Source: "x", At: now, New: []news.Item{odd, match}}); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	agg := aggregator.New(db, aggregator.Fetcher(0, clock), aggregator.MustIndex(t), set, nil,
		slog.New(slog.NewTextHandler(io.Discard, nil)), aggregator.Options{Now: clock})
	filings, err := agg.FileMoved(ctx, []store.Move{{From: "s1", To: "s2"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(filings) != 1 || fmt.Sprint(filings[0].Topics) != "[sports]" {
		t.Fatalf("filings after the merge: %+v, want the odd copy in sports", filings)
	}
	if err := db.SaveMoves(ctx, []store.Move{{From: "s1", To: "s2"}}, filings, now); err != nil {
		t.Fatal(err)
	}
	stories, err := db.Stories(ctx, "health", 10)
	if err != nil || len(stories) != 0 {
		t.Errorf("health still holds %d stories, %v", len(stories), err)
	}
}

// sectionsOf returns the named topics of these tests, uncalibrated (the
// mechanism, not the calibration): health and sports by example in one
// exclusive group, hospitals by keyword.
func sectionsOf(t *testing.T, names ...string) topic.Set {
	t.Helper()
	bg, err := text.BuiltinBackground()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := topic.NewLexicon(bg)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]topic.Rules{
		"health":    {Like: []string{"clinical trial hospital patients doctors"}, Exclusive: "section"},
		"sports":    {Like: []string{"football match striker goals champions league benfica"}, Exclusive: "section"},
		"hospitals": {Any: []string{"hospital"}},
	}
	var set topic.Set
	for _, name := range names {
		tp, err := topic.New(name, "", rules[name], lex.WithConfidence(nil))
		if err != nil {
			t.Fatal(err)
		}
		set = append(set, tp)
	}
	return set
}
