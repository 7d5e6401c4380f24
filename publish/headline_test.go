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
