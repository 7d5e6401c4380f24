package aggregator_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/config"
	"tributary/news"
	"tributary/sqlite"
	"tributary/store"
	"tributary/text"
	"tributary/topic"
)

// BenchmarkRefile times filing 100,000 stored items again under the
// project's sections (examples/sections.yaml) and a keyword topic, as a
// change of rules does: a story's topics by example from all its items
// (stories of one to three items), its rules item by item. One op is the
// whole refile.
func BenchmarkRefile(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	words := []string{"minister", "talks", "striker", "match", "shares", "profit", "hospital", "vaccine", "film", "album",
		"election", "senate", "storm", "rescue", "phone", "chip", "rocket", "species", "court", "police"}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	const n = 100_000
	start := 0
	for story := 0; start < n; {
		p := &store.Poll{Source: "s"}
		for len(p.New) < 1000 && start < n {
			for k := range 1 + story%3 {
				title := fmt.Sprintf("%s %s %s after %s %d", words[(story+k)%20], words[(story*7+k)%20], words[(story*3)%20], words[(story*11)%20], story)
				p.New = append(p.New, news.Item{Source: "s", GUID: fmt.Sprint(start), Story: fmt.Sprint("st", story), Title: title,
					Summary: "<p>" + title + ", officials said on Friday, as the talks went on.</p>", Hash: "h",
					Link: fmt.Sprint("https://s.example/", start), URL: fmt.Sprint("https://s.example/", start),
					Published: now.Add(-time.Duration(start) * time.Second), Fetched: now})
				start++
			}
			story++
		}
		if err := db.SavePoll(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	topics, err := config.LoadTopics("../examples/sections.yaml")
	if err != nil {
		b.Fatal(err)
	}
	bg, err := text.BuiltinBackground()
	if err != nil {
		b.Fatal(err)
	}
	lex, err := topic.NewLexicon(bg)
	if err != nil {
		b.Fatal(err)
	}
	set := topic.Set{}
	for _, c := range append(topics, config.Topic{Name: "courts", Any: []string{"court"}}) {
		tp, err := topic.New(c.Name, c.Title, c.Rules(), lex)
		if err != nil {
			b.Fatal(err)
		}
		set = append(set, tp)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if got, err := aggregator.Refile(ctx, db, fmt.Sprint("rules", i), set); err != nil || got != start {
			b.Fatalf("refiled %d, %v", got, err)
		}
	}
}
