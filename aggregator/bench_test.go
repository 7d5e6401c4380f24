package aggregator_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"tributary/aggregator"
	"tributary/news"
	"tributary/publish"
	"tributary/sqlite"
	"tributary/topic"
)

const benchItems = 100

// benchFeed returns an RSS document of benchItems news-like entries whose
// GUIDs and links are unique to round, so every poll stores new items.
func benchFeed(round int) []byte { return benchDoc(round*benchItems, round) }

// benchSteady is the feed as polled in steady state: each round, the
// newest steadyNew entries are new and the rest were seen before.
func benchSteady(round int) []byte { return benchDoc(round*steadyNew, 0) }

const steadyNew = 5

// benchDoc returns benchItems entries numbered first, first+1, ...;
// variant changes the headlines' wording.
func benchDoc(first, round int) []byte {
	subjects := []string{"Ukraine", "Central bank", "Climate summit", "Chipmaker", "Election", "Storm", "Markets", "Health ministers"}
	verbs := []string{"agrees to", "warns over", "rejects", "announces", "delays", "backs", "questions", "welcomes"}
	objects := []string{"new peace talks", "interest rates", "emissions targets", "AI data centres", "vote recount", "flood defences", "trade tariffs", "pandemic treaty"}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title><link>https://bench.example/</link><description>d</description>`)
	t0 := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for k := range benchItems {
		n := first + benchItems - 1 - k // newest first, as feeds are
		i := n % benchItems
		s, v, o := subjects[i%8], verbs[(i/8)%8], objects[(i+round)%8]
		fmt.Fprintf(&b, `<item><title>%s %s %s (%d)</title><link>https://bench.example/r%d/story-%d?utm_source=rss</link>`+
			`<guid isPermaLink="false">r%d-%d</guid><pubDate>%s</pubDate><category>World</category>`+
			`<description>&lt;p&gt;%s %s %s, officials said on %s. &lt;a href="https://bench.example/more"&gt;More&lt;/a&gt; `+
			`The decision follows weeks of talks between delegations and comes as pressure mounts at home.&lt;/p&gt;</description></item>`,
			s, v, o, n, n/benchItems, n, n/benchItems, n, t0.Add(time.Duration(n)*time.Second).Format(time.RFC1123Z),
			s, strings.ToLower(v), o, "Friday")
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

// BenchmarkPoll compares parsing a feed alone with a whole poll of it:
// fetch (file), parse, normalise, dedupe, topics, store and render.
func BenchmarkPoll(b *testing.B) {
	b.Run("parse-only", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			body := benchFeed(i)
			b.StartTimer()
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil || len(feed.Items) != benchItems {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*benchItems)/b.Elapsed().Seconds(), "items/s")
	})
	// whole-poll renders after every poll: the cost when polls are sparse.
	// burst-of-12 renders once per 12 polls: start-up with 12 sources, as
	// the publisher coalesces renders.
	b.Run("whole-poll", func(b *testing.B) { benchWholePoll(b, benchFeed, 1, 12) })
	b.Run("burst-of-12", func(b *testing.B) { benchWholePoll(b, benchFeed, 12, 12) })
	// steady polls one source whose feed moves on by steadyNew entries a
	// poll, rendering after each: the daemon's everyday case.
	b.Run("steady", func(b *testing.B) { benchWholePoll(b, benchSteady, 1, 1) })
	// read-after-each is steady with a reader fetching every topic in
	// every format after each poll: the worst case for lazy rendering.
	b.Run("steady-read", func(b *testing.B) { benchWholePoll(b, benchSteady, 1, 1, readAll) })
}

// readAll fetches every topic's feed in every format, gzipped, as a
// reader subscribed to all of them would after a change.
func readAll(b *testing.B, h http.Handler, topics []news.Topic) {
	for _, t := range append([]news.Topic{{Name: "all"}}, topics...) {
		for _, ext := range []string{"rss", "atom", "json"} {
			req := httptest.NewRequest(http.MethodGet, "/feeds/"+t.Name+"."+ext, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d", req.URL, rec.Code)
			}
		}
	}
}

func benchWholePoll(b *testing.B, feed func(round int) []byte, renderEvery, sources int, read ...func(*testing.B, http.Handler, []news.Topic)) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var topics topic.Set
	var pubTopics []news.Topic
	for _, r := range []struct {
		name string
		any  []string
	}{
		{"ukraine", []string{"ukraine", "kyiv", "zelensk*", `"peace talks"`, `/\bputin\b/`}},
		{"climate", []string{"climate", "emissions", "storm", "flood*"}},
		{"economy", []string{"bank", `"interest rates"`, "markets", "tariffs"}},
		{"tech", []string{"ai", "chip*"}},
	} {
		tp, err := topic.New(r.name, r.name, topic.Rules{Any: r.any, None: []string{"football"}}, nil)
		if err != nil {
			b.Fatal(err)
		}
		topics = append(topics, tp)
		pubTopics = append(pubTopics, news.Topic{Name: r.name, Title: r.name})
	}
	pub, err := publish.New(db, logger, publish.Options{BaseURL: "http://bench.example", Title: "t", Limit: 50, Topics: pubTopics,
		MaxAge: 5 * time.Minute, Hot: publish.Hot{Window: 24 * time.Hour, MinSources: 2}})
	if err != nil {
		b.Fatal(err)
	}
	agg := aggregator.New(db, aggregator.Fetcher(10<<20, nil), aggregator.MustIndex(b), topics, pub, logger, aggregator.Options{})
	if err := pub.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	h := pub.Handler()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprintf("feed-%d.xml", i%renderEvery))
		if err := os.WriteFile(path, feed(i), 0o600); err != nil {
			b.Fatal(err)
		}
		src := news.Source{Name: fmt.Sprintf("bench-%d", i%sources), URL: "file://" + path}
		b.StartTimer()
		res, err := agg.Poll(ctx, src)
		if err != nil || res.New+res.Unchanged != benchItems || res.New == 0 {
			b.Fatalf("poll %d: %+v, %v", i, res, err)
		}
		if (i+1)%renderEvery == 0 {
			if err := pub.Flush(ctx); err != nil {
				b.Fatal(err)
			}
			for _, r := range read {
				r(b, h, pubTopics)
			}
		}
	}
	if err := pub.Flush(ctx); err != nil { // the rest of a partial burst
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N*benchItems)/b.Elapsed().Seconds(), "items/s")
}
