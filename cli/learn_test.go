package cli

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tributary/config"
	"tributary/news"
	"tributary/sqlite"
	"tributary/store"
)

// TestLearnSectionsFromStore: the sections learn again, from the stored
// week, what their outlets labelled (a source's section, a category, a
// link's path) — not what is older, nor what no label names — and file
// an unlabelled item by the words learned.
func TestLearnSectionsFromStore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	topics, err := config.LoadTopics("../examples/sections.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Topics: topics, Sources: []config.Source{{Name: "cycling", Section: "sports"}}}
	var items []news.Item
	add := func(src, guid, title string, age time.Duration, cats []string, link string) {
		items = append(items, news.Item{Source: src, GUID: guid, Story: src + guid, Title: title, Summary: "<p>" + title + "</p>",
			Categories: cats, Link: link, URL: link, Published: now.Add(-age), Updated: now.Add(-age), Fetched: now.Add(-age), Hash: guid})
	}
	for i := range 4 {
		add("cycling", fmt.Sprint("c", i), fmt.Sprintf("Peloton chases the breakaway on stage %d of the tour", i), time.Hour, nil, "https://c.example/a")
		add("daily", fmt.Sprint("d", i), fmt.Sprintf("Peloton splits in the crosswinds on day %d", i), 2*time.Hour, []string{"Sport"}, "https://d.example/x")
		add("paper", fmt.Sprint("p", i), fmt.Sprintf("Peloton reaches the summit finish %d", i), 3*time.Hour, nil, fmt.Sprintf("https://p.example/sport/cycling/%d", i))
		add("paper", fmt.Sprint("old", i), "Markets rally on peloton of buyers", 8*24*time.Hour, []string{"Business"}, "https://p.example/x") // older than the week
		add("paper", fmt.Sprint("n", i), "Peloton of news", time.Hour, nil, "https://p.example/x")                                            // no label
	}
	if err := db.SavePoll(ctx, &store.Poll{Source: "mixed", New: items, At: now}); err != nil {
		t.Fatal(err)
	}
	set, _, err := buildTopics(cfg)
	if err != nil {
		t.Fatal(err)
	}
	unlabelled := &news.Item{Title: "Peloton breakaway caught before the summit finish"}
	if got := set.Match(unlabelled); len(got) != 0 {
		t.Fatalf("before learning: %v", got)
	}
	if err := learnSections(ctx, db, set, now, nil); err != nil {
		t.Fatal(err)
	}
	if got := set.Outlets().Learned(); got["sports"] != 12 || got["business"] != 0 || len(got) != 1 {
		t.Errorf("learned %v, want 12 sports items only", got)
	}
	if got := fmt.Sprint(set.Match(unlabelled)); got != "[sports]" {
		t.Errorf("after learning: %s, want [sports]", got)
	}
}
