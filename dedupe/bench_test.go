package dedupe

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"tributary/news"
	"tributary/text"
)

// syntheticHeadlines returns n headlines of 6 to 11 words drawn from a
// Zipf-distributed vocabulary of 30,000 words, a third of them rewordings
// of an earlier headline (one or two words changed), published over 48
// hours: the shape of a busy window.
func syntheticHeadlines(n int) []news.Item {
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 1, 29_999)
	word := func() string { return fmt.Sprintf("w%dx", zipf.Uint64()) }
	items := make([]news.Item, n)
	for i := range items {
		var words []string
		if i > 10 && r.IntN(3) == 0 {
			words = strings.Fields(items[r.IntN(i)].Title)
			for range 1 + r.IntN(2) {
				words[r.IntN(len(words))] = word()
			}
		} else {
			for range 6 + r.IntN(6) {
				words = append(words, word())
			}
		}
		items[i] = news.Item{
			Source:    fmt.Sprint("s", i%40),
			GUID:      fmt.Sprint(i),
			Title:     strings.Join(words, " "),
			Published: t0.Add(time.Duration(i) * (48 * time.Hour / time.Duration(n))), // (i*48h overflows past 53,375)
		}
		items[i].Fetched = items[i].Published
	}
	return items
}

// withSummaries gives each item a summary of 30 words of the same
// vocabulary, sharing half its words with its headline's.
func withSummaries(items []news.Item) []news.Item {
	r := rand.New(rand.NewPCG(5, 6))
	zipf := rand.NewZipf(r, 1.1, 1, 29_999)
	out := make([]news.Item, len(items))
	for i, it := range items {
		words := strings.Fields(it.Title)
		for range 30 - len(words) {
			words = append(words, fmt.Sprintf("w%dx", zipf.Uint64()))
		}
		it.Summary = "<p>" + strings.Join(words, " ") + ".</p>"
		out[i] = it
	}
	return out
}

// BenchmarkIndex adds n headlines to an empty index, each one first
// queried for its story, as polls do; one op is all n. The "+summaries"
// runs give every item a summary too.
func BenchmarkIndex(b *testing.B) {
	bg, err := text.BuiltinBackground()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1_000, 10_000, 100_000, -100_000} {
		name := fmt.Sprint(n)
		var items []news.Item
		if n < 0 {
			n = -n
			name = fmt.Sprint(n, "+summaries")
			items = withSummaries(syntheticHeadlines(n))
		} else {
			items = syntheticHeadlines(n)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var perHeadline float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				x, err := NewIndex(Options{Background: bg})
				if err != nil {
					b.Fatal(err)
				}
				for i := range items {
					batch := x.Begin(items[i].Fetched)
					batch.AssignAll(items[i : i+1])
					batch.Commit()
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				perHeadline = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
				runtime.KeepAlive(x)
			}
			b.ReportMetric(perHeadline, "heap-B/headline")
		})
	}
}
