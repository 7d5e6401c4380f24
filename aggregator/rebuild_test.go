package aggregator_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/dedupe"
	"tributary/news"
	"tributary/sqlite"
	"tributary/store"
)

// BenchmarkRebuild times the start-up rebuild of the dedupe index from a
// store holding 100,000 items in its window: read, normalise, index.
func BenchmarkRebuild(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const n = 100_000
	r := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(r, 1.1, 1, 29_999)
	now := time.Now().UTC()
	for start := 0; start < n; start += 1000 {
		p := &store.Poll{Source: "s"}
		for i := start; i < start+1000; i++ {
			var words []string
			for range 6 + r.IntN(6) {
				words = append(words, fmt.Sprintf("w%dx", zipf.Uint64()))
			}
			at := now.Add(-time.Duration(i) * time.Second)
			p.New = append(p.New, news.Item{Source: "s", GUID: fmt.Sprint(i), Story: fmt.Sprint("st", i),
				Link: fmt.Sprint("https://s.example/", i), URL: fmt.Sprint("https://s.example/", i),
				Title: strings.Join(words, " "), Published: at, Updated: at, Fetched: at, Hash: "h"})
		}
		if err := db.SavePoll(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		x, _, err := aggregator.RebuildIndex(ctx, db, dedupe.Options{Window: 48 * time.Hour}, now)
		if err != nil {
			b.Fatal(err)
		}
		if x.Len() != n {
			b.Fatalf("rebuilt %d entries, want %d", x.Len(), n)
		}
	}
}
