package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// seed stores n items in n/2 stories (every other item is a second copy),
// each item in one of five topics, in polls of 500.
func seed(b *testing.B, db *DB, n int) {
	b.Helper()
	ctx := context.Background()
	topics := []string{"ukraine", "climate", "economy", "tech", "health"}
	for start := 0; start < n; start += 500 {
		p := &store.Poll{Source: "s"}
		for i := start; i < min(start+500, n); i++ {
			it := mkItem("s", fmt.Sprint(i), fmt.Sprint("story-", i/2), time.Duration(i)*time.Second, topics[i%5])
			p.New = append(p.New, it)
		}
		if err := db.SavePoll(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStories reads a feed's 50 newest stories from a store of 100k
// items, as every render does: the catch-all, a dense and a sparse topic.
func BenchmarkStories(b *testing.B) {
	db, err := Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	seed(b, db, 100_000)
	for _, topic := range []string{news.AllTopic, "ukraine", "absent"} {
		b.Run(topic, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.Stories(context.Background(), topic, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSavePollEdits stores a poll of 100 edited items in a store of
// 100k items whose topics hold 20k each: an edit refiles the item, and
// refiling must cost what the item's story holds, not what its topic does.
func BenchmarkSavePollEdits(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	seed(b, db, 100_000)
	topics := []string{"ukraine", "climate", "economy", "tech", "health"}
	b.ReportAllocs()
	for round := 0; b.Loop(); round++ {
		p := &store.Poll{Source: "s", State: news.FetchState{LastPoll: t0}}
		for k := range 100 {
			i := (round*100 + k) % 100_000
			it := mkItem("s", fmt.Sprint(i), fmt.Sprint("story-", i/2), time.Duration(i)*time.Second, topics[i%5])
			it.ID, it.Title = int64(i+1), fmt.Sprint("edited ", round, " ", i)
			p.Updated = append(p.Updated, it)
		}
		if err := db.SavePoll(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckIntegrity is the daemon's integrity check (at start and
// every few hours) over a store of 100k items; it reports the file's size.
func BenchmarkCheckIntegrity(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	seed(b, db, 100_000)
	u, err := db.Usage()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(u.Size)/(1<<20), "MB")
	b.ReportAllocs()
	for b.Loop() {
		if err := db.CheckIntegrity(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
