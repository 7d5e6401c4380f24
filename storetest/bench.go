package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// BenchPoll measures a store's polls, for every store alike: polls of 50
// new items (new items stored per second), and re-polls of 50 stored,
// unchanged items (their lookup and the source's fetch state: re-polls
// per second). open returns an empty store.
func BenchPoll(b *testing.B, open func(b *testing.B) Store) {
	ctx := context.Background()
	const perPoll = 50
	b.Run("new-items", func(b *testing.B) {
		s := open(b)
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			p := &store.Poll{Source: "s", State: news.FetchState{LastPoll: t0}}
			for range perPoll {
				p.New = append(p.New, item("s", fmt.Sprint(n), fmt.Sprint("story-", n/2), time.Duration(n)*time.Second, "world"))
				n++
			}
			if err := s.SavePoll(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
	})
	b.Run("re-poll", func(b *testing.B) {
		s := open(b)
		p := &store.Poll{Source: "s"}
		guids := make([]string, perPoll)
		for i := range perPoll {
			p.New = append(p.New, item("s", fmt.Sprint(i), fmt.Sprint("story-", i), time.Duration(i)*time.Second, "world"))
			guids[i] = fmt.Sprint(i)
		}
		if err := s.SavePoll(ctx, p); err != nil {
			b.Fatal(err)
		}
		polls := 0
		b.ReportAllocs()
		for b.Loop() {
			known, err := s.KnownItems(ctx, "s", guids)
			if err != nil || len(known) != perPoll {
				b.Fatalf("known %d, %v", len(known), err)
			}
			if err := s.SavePoll(ctx, &store.Poll{Source: "s", State: news.FetchState{LastPoll: t0.Add(time.Duration(polls) * time.Minute)}}); err != nil {
				b.Fatal(err)
			}
			polls++
		}
		b.ReportMetric(float64(polls)/b.Elapsed().Seconds(), "polls/s")
	})
}

// BenchGrowth measures whether a poll's writes cost more as the store
// grows: it stores 2,700 polls of 50 new items (135,000 items, from 40
// sources, in five topics) and reports the wall time per item over the
// first and the last 15,000. A write whose plan follows a table's size
// shows as a last figure many times the first. One op is the whole run.
func BenchGrowth(b *testing.B, open func(b *testing.B) Store) {
	ctx := context.Background()
	topics := []string{"world", "politics", "business", "tech", "health"}
	summary := "<p>" + strings.Repeat("words of a summary ", 20) + "</p>"
	for b.Loop() {
		s := open(b)
		var first, last time.Duration
		n := 0
		for p := range 2700 {
			poll := &store.Poll{Source: fmt.Sprint("s", p%40), State: news.FetchState{LastPoll: t0}}
			for range 50 {
				it := item(poll.Source, fmt.Sprint(n), fmt.Sprint("story-", n/2), time.Duration(n)*time.Second, topics[n%5])
				it.Summary, it.Title = summary, fmt.Sprint("A headline of some words ", n)
				poll.New = append(poll.New, it)
				n++
			}
			start := time.Now()
			if err := s.SavePoll(ctx, poll); err != nil {
				b.Fatal(err)
			}
			switch d := time.Since(start); {
			case p < 300:
				first += d
			case p >= 2400:
				last += d
			}
		}
		b.ReportMetric(first.Seconds()*1000/15000, "ms/item-first15k")
		b.ReportMetric(last.Seconds()*1000/15000, "ms/item-last15k")
	}
}

// BenchHot measures ranking the hot stories of a busy window: 100,000
// items first published over one day, in 60,000 stories of one to three
// sources, in five topics; one op ranks the catch-all's and one topic's
// 50 hottest (HotStories).
func BenchHot(b *testing.B, open func(b *testing.B) Store) {
	ctx := context.Background()
	s := open(b)
	topics := []string{"world", "politics", "business", "tech", "health"}
	n, story := 0, 0
	for n < 100_000 {
		poll := &store.Poll{Source: fmt.Sprint("s", story%40), State: news.FetchState{LastPoll: t0}}
		for range 500 {
			// Stories of 1, 2 or 3 items, each item from its own source.
			size := 1 + story%3
			for k := range size {
				src := fmt.Sprint("s", (story+k)%40)
				it := item(src, fmt.Sprint(n), fmt.Sprint("story-", story), time.Duration(n)*24*time.Hour/100_000, topics[story%5])
				poll.New = append(poll.New, it)
				n++
			}
			story++
		}
		if err := s.SavePoll(ctx, poll); err != nil {
			b.Fatal(err)
		}
	}
	now := t0.Add(24 * time.Hour)
	b.ResetTimer()
	for b.Loop() {
		for _, topic := range []string{news.AllTopic, "world"} {
			hot, err := s.HotStories(ctx, topic, nil, now, 24*time.Hour, 2, 50)
			if err != nil || len(hot) != 50 {
				b.Fatalf("%s: %d hot stories, %v", topic, len(hot), err)
			}
		}
	}
}
