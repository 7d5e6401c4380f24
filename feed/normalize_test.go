package feed

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"

	"tributary/news"
)

func TestNormalize(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	pub := time.Date(2026, 11, 27, 8, 0, 0, 0, time.FixedZone("CET", 3600))
	future := now.Add(30 * 24 * time.Hour)
	n := NewReader()
	src := news.Source{Name: "src"}
	tests := []struct {
		name  string
		in    gofeed.Item
		check func(t *testing.T, it news.Item)
	}{
		{"title entities and whitespace", gofeed.Item{GUID: "1", Title: "  Rates &amp;amp; <b>bonds</b>\n\t rise&nbsp;again  "},
			func(t *testing.T, it news.Item) {
				if it.Title != "Rates & bonds rise again" {
					t.Errorf("title = %q", it.Title)
				}
			}},
		{"control characters dropped", gofeed.Item{GUID: "1", Title: "a\x00b\x1bc\u0085d"},
			func(t *testing.T, it news.Item) {
				if it.Title != "abc d" {
					t.Errorf("title = %q", it.Title)
				}
			}},
		{"bidi overrides and zero-width characters dropped", gofeed.Item{GUID: "1",
			Title:   "Invoice \u202egpj.exe\u202c for\u200b you\ufeff \u2067now\u2069 \u200fok",
			Authors: []*gofeed.Person{{Name: "Jo\u202e Bloggs"}}},
			func(t *testing.T, it news.Item) {
				if it.Title != "Invoice gpj.exe for you now ok" || it.Author != "Jo Bloggs" {
					t.Errorf("title %q author %q", it.Title, it.Author)
				}
			}},
		{"emoji and script joiners kept", gofeed.Item{GUID: "1", Title: "Family \U0001F468\u200d\U0001F469\u200d\U0001F467 and \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"},
			func(t *testing.T, it news.Item) {
				if !strings.Contains(it.Title, "\u200d") || !strings.Contains(it.Title, "\u200c") {
					t.Errorf("title %q lost a joiner", it.Title)
				}
			}},
		{"absurdly long link dropped, the item kept", gofeed.Item{GUID: "1", Title: "t", Link: "https://site.example/" + strings.Repeat("a", 500<<10)},
			func(t *testing.T, it news.Item) {
				if it.Link != "" || it.Title != "t" {
					t.Errorf("link of %d bytes kept", len(it.Link))
				}
			}},
		{"canonical url and relative link", gofeed.Item{GUID: "1", Link: "/world/a?utm_source=x#top"},
			func(t *testing.T, it news.Item) {
				if it.Link != "https://site.example/world/a?utm_source=x#top" || it.URL != "https://site.example/world/a" {
					t.Errorf("link %q url %q", it.Link, it.URL)
				}
			}},
		{"published in UTC", gofeed.Item{GUID: "1", PublishedParsed: &pub},
			func(t *testing.T, it news.Item) {
				if !it.Published.Equal(pub) || it.Published.Location() != time.UTC || !it.Updated.Equal(pub) {
					t.Errorf("published %v updated %v", it.Published, it.Updated)
				}
			}},
		{"missing date is fetch time", gofeed.Item{GUID: "1"},
			func(t *testing.T, it news.Item) {
				if !it.Published.Equal(now) {
					t.Errorf("published = %v, want %v", it.Published, now)
				}
			}},
		{"far future clamped", gofeed.Item{GUID: "1", PublishedParsed: &future},
			func(t *testing.T, it news.Item) {
				if !it.Published.Equal(now) {
					t.Errorf("published = %v, want %v", it.Published, now)
				}
			}},
		{"guid falls back to link then digest", gofeed.Item{Link: "https://a.example/x"},
			func(t *testing.T, it news.Item) {
				if it.GUID != "https://a.example/x" {
					t.Errorf("guid = %q", it.GUID)
				}
			}},
		{"no guid no link", gofeed.Item{Title: "t"},
			func(t *testing.T, it news.Item) {
				if !strings.HasPrefix(it.GUID, "sha256:") {
					t.Errorf("guid = %q", it.GUID)
				}
			}},
		{"html sanitised", gofeed.Item{GUID: "1", Description: `<p onclick="x()">hi<script>alert(1)</script></p><a href="javascript:alert(1)">j</a>`,
			Content: `<iframe src="https://evil.example"></iframe><img src="a.png" onerror="x()">`},
			func(t *testing.T, it news.Item) {
				for _, bad := range []string{"script", "onclick", "javascript:", "iframe", "onerror"} {
					if strings.Contains(it.Summary+it.Content, bad) {
						t.Errorf("%q survived: %q / %q", bad, it.Summary, it.Content)
					}
				}
			}},
		{"author and categories", gofeed.Item{GUID: "1", Authors: []*gofeed.Person{{Name: " Jo <b>Bloggs</b> "}},
			Categories: []string{"World", "world", " ", "Europe"}},
			func(t *testing.T, it news.Item) {
				if it.Author != "Jo Bloggs" {
					t.Errorf("author = %q", it.Author)
				}
				if diff := cmp.Diff([]string{"World", "Europe"}, it.Categories); diff != "" {
					t.Errorf("categories (-want +got):\n%s", diff)
				}
			}},
		{"absurd title truncated", gofeed.Item{GUID: "1", Title: strings.Repeat("é", 1<<20)},
			func(t *testing.T, it news.Item) {
				if len(it.Title) > maxTitle || !strings.HasSuffix(it.Title, "é") {
					t.Errorf("title length %d, ends %q", len(it.Title), it.Title[len(it.Title)-2:])
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := &gofeed.Feed{Link: "https://site.example/", Items: []*gofeed.Item{&tt.in}}
			items := normalizeAll(n, src, feed, "https://feeds.example/rss", now)
			if len(items) != 1 {
				t.Fatalf("items = %d", len(items))
			}
			tt.check(t, items[0])
		})
	}
}

func TestNormalizeDropsRepeatedGUIDs(t *testing.T) {
	feed := &gofeed.Feed{Items: []*gofeed.Item{{GUID: "1", Title: "a"}, {GUID: "1", Title: "b"}, nil, {GUID: "2"}}}
	items := normalizeAll(NewReader(), news.Source{Name: "s"}, feed, "", time.Now())
	if len(items) != 2 || items[0].Title != "a" {
		t.Errorf("items = %+v", items)
	}
}

func TestHashNoticesEdits(t *testing.T) {
	n := NewReader()
	now := time.Now()
	src := news.Source{Name: "s"}
	one := func(e gofeed.Item, at time.Time) news.Item {
		return normalizeAll(n, src, &gofeed.Feed{Items: []*gofeed.Item{&e}}, "", at)[0]
	}
	a := one(gofeed.Item{GUID: "1", Title: "a"}, now)
	later := one(gofeed.Item{GUID: "1", Title: "a"}, now.Add(time.Hour))
	if a.Hash != later.Hash {
		t.Error("an undated entry polled again looks edited")
	}
	if !a.Undated {
		t.Error("an entry without dates is not marked undated")
	}
	for name, e := range map[string]gofeed.Item{
		"title":    {GUID: "1", Title: "a, edited"},
		"summary":  {GUID: "1", Title: "a", Description: "new"},
		"content":  {GUID: "1", Title: "a", Content: "new"},
		"category": {GUID: "1", Title: "a", Categories: []string{"x"}},
		"author":   {GUID: "1", Title: "a", Authors: []*gofeed.Person{{Name: "x"}}},
		"date":     {GUID: "1", Title: "a", Updated: "Fri, 27 Nov 2026 08:00:00 GMT"},
		"link":     {GUID: "1", Title: "a", Link: "https://a.example/x"},
	} {
		if one(e, now).Hash == a.Hash {
			t.Errorf("an edited %s kept the same hash", name)
		}
	}
}

// normalizeAll runs both steps of normalisation over every entry.
func normalizeAll(n *Reader, src news.Source, feed *gofeed.Feed, base string, now time.Time) []news.Item {
	var items []news.Item
	for _, en := range entries(feed, base) {
		items = append(items, n.Item(src, en, now))
	}
	return items
}

// TestUndatedEntriesKeepOrderAndDiffer: entries without a date stand at
// the fetch time less a second per entry before them, so a poll's undated
// entries keep the feed's order and never share a time; dated ones keep
// theirs.
func TestUndatedEntriesKeepOrderAndDiffer(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	dated := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	feed := &gofeed.Feed{Items: []*gofeed.Item{
		{GUID: "a", Title: "a"}, {GUID: "b", Title: "b", PublishedParsed: &dated}, {GUID: "c", Title: "c"}, {GUID: "d", Title: "d"},
	}}
	items := normalizeAll(NewReader(), news.Source{Name: "s"}, feed, "", now)
	want := []time.Time{now, dated, now.Add(-2 * time.Second), now.Add(-3 * time.Second)}
	for i, it := range items {
		if !it.Published.Equal(want[i]) || !it.Updated.Equal(want[i]) || !it.Fetched.Equal(now) {
			t.Errorf("%s: published %v, updated %v, fetched %v; want %v and fetched %v", it.GUID, it.Published, it.Updated, it.Fetched, want[i], now)
		}
	}
}
