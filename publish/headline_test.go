package publish

import (
	"strings"
	"testing"
	"time"

	"tributary/news"
)

// TestHeadline: an item without a title is shown by its text's first
// sentence, cut at a word, else by its outlet and date; never empty.
func TestHeadline(t *testing.T) {
	at := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		it   news.Item
		want string
	}{
		{news.Item{Title: " Own title "}, "Own title"},
		{news.Item{Summary: "<p>Sol 1234: a dust devil crosses the crater. More to come.</p>"}, "Sol 1234: a dust devil crosses the crater."},
		{news.Item{Summary: "<p>" + strings.Repeat("word ", 40) + "</p>"}, strings.TrimSpace(strings.Repeat("word ", 16)) + "…"},
		{news.Item{Content: "<img src=x> Just a picture today!"}, "Just a picture today!"},
		{news.Item{Outlet: news.Outlet{Name: "bot", Title: "Perseverance Image Bot"}, Published: at}, "Perseverance Image Bot, 27 Nov 2026"},
		{news.Item{Source: "bot", Published: at}, "bot, 27 Nov 2026"},
	} {
		if got := headline(&tt.it); got != tt.want {
			t.Errorf("headline(%+v) = %q, want %q", tt.it, got, tt.want)
		}
	}
}

// TestAtomUpdatedTies: two stories updated in the same second show
// different atom:updated values, each the same at every render, within
// its second.
func TestAtomUpdatedTies(t *testing.T) {
	at := time.Date(2026, 11, 27, 8, 15, 0, 0, time.UTC)
	a, b := &news.Story{Key: "a", Updated: at}, &news.Story{Key: "b", Updated: at.Add(300 * time.Millisecond)}
	if atomUpdated(a) == atomUpdated(b) || atomUpdated(a) != atomUpdated(&news.Story{Key: "a", Updated: at}) {
		t.Errorf("atom:updated %s and %s", atomUpdated(a), atomUpdated(b))
	}
	for _, s := range []*news.Story{a, b} {
		if got, _ := time.Parse(time.RFC3339, atomUpdated(s)); got.Truncate(time.Second) != at {
			t.Errorf("%s: %s is not within its second", s.Key, atomUpdated(s))
		}
	}
}
