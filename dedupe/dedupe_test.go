package dedupe

import (
	"fmt"
	"testing"
	"time"

	"tributary/news"
)

func TestCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a/b", "https://example.com/a/b"},
		{"http://Example.COM/a/b/", "https://example.com/a/b"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"http://example.com:80/a", "https://example.com/a"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"https://example.com/a#comments", "https://example.com/a"},
		{"https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"},
		{"https://example.com/a?UTM_Campaign=x&id=7", "https://example.com/a?id=7"},
		{"https://example.com/a?fbclid=1&gclid=2&msclkid=3", "https://example.com/a"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://user:pw@example.com/a", "https://example.com/a"},
		{"https://example.com/a?", "https://example.com/a"},
		{"https://example.com/", "https://example.com"},
		{"https://example.com", "https://example.com"},
		{"  https://example.com/a  ", "https://example.com/a"},
		{"/relative/path", "/relative/path"},
		{"mailto:a@example.com", "mailto:a@example.com"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func item(source, guid, link string, published time.Time) *news.Item {
	return &news.Item{Source: source, GUID: guid, Link: link, URL: Canonical(link), Published: published}
}

func TestBatchAssign(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	x := NewIndex(Options{Window: 48 * time.Hour})

	b := x.Begin()
	a1 := item("a", "1", "https://wire.example/story?utm_source=a", t0)
	a2 := item("a", "2", "https://a.example/other", t0)
	if m := b.Assign(a1); m.Reason != ReasonNew || m.Story != StoryKey("a", "1") {
		t.Fatalf("first item: %+v", m)
	}
	b.Assign(a2)
	if x.Len() != 0 {
		t.Fatal("index changed before Commit")
	}
	b.Commit()

	b = x.Begin()
	c1 := item("c", "x", "http://WIRE.example/story/#top", t0.Add(time.Hour))
	if m := b.Assign(c1); m.Reason != ReasonURL || m.Story != a1.Story {
		t.Errorf("same canonical URL: %+v, want story %s by url", m, a1.Story)
	}
	c2 := item("c", "y", "https://c.example/new", t0)
	c3 := item("c", "z", "https://c.example/new", t0) // same URL inside one batch
	b.Assign(c2)
	if m := b.Assign(c3); m.Story != c2.Story {
		t.Errorf("same URL within a batch: %+v, want story %s", m, c2.Story)
	}
	late := item("d", "q", "https://wire.example/story", t0.Add(72*time.Hour))
	if m := b.Assign(late); m.Reason != ReasonNew {
		t.Errorf("outside the window: %+v, want a new story", m)
	}
}

func TestUncommittedBatchLeavesIndex(t *testing.T) {
	x := NewIndex(Options{})
	b := x.Begin()
	b.Assign(item("a", "1", "https://a.example/1", time.Now()))
	// no Commit: the store write failed
	if _, ok := x.Lookup(item("b", "1", "https://a.example/1", time.Now())); ok {
		t.Error("an uncommitted item is visible in the index")
	}
}

func TestPrune(t *testing.T) {
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	x := NewIndex(Options{Window: time.Hour})
	x.Add(&news.Item{URL: "https://a.example/old", Story: "s1", Published: now.Add(-2 * time.Hour)})
	x.Add(&news.Item{URL: "https://a.example/new", Story: "s2", Published: now})
	x.Prune(now)
	if x.Len() != 1 {
		t.Errorf("Len after prune = %d, want 1", x.Len())
	}
}

func TestStoryKeyStable(t *testing.T) {
	// Published entry ids are built from story keys: this value must
	// never change, or every reader would see every story again.
	if got, want := StoryKey("bbc", "urn:1"), "76256c8c6202ddecc254ee68"; got != want {
		t.Errorf("StoryKey = %q, want %q", got, want)
	}
	if StoryKey("a", "1") == StoryKey("a", "2") {
		t.Error("StoryKey ignores the guid")
	}
	if StoryKey("ab", "c") == StoryKey("a", "bc") {
		t.Error("StoryKey confuses source and guid boundaries")
	}
}

func Example() {
	x := NewIndex(Options{Window: 48 * time.Hour})
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

	b := x.Begin()
	first := &news.Item{Source: "bbc", GUID: "1", URL: Canonical("https://wire.example/a?utm_source=bbc"), Published: now}
	b.Assign(first)
	b.Commit() // after the store committed the same items

	b = x.Begin()
	copy := &news.Item{Source: "npr", GUID: "9", URL: Canonical("http://wire.example/a/#x"), Published: now}
	m := b.Assign(copy)
	fmt.Println(m.Reason, m.Story == first.Story)
	// Output: url true
}
