package publish

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"tributary/news"
)

// TestLastModifiedIsChangeTime: a document's Last-Modified is when its
// bytes last changed, whatever the dates inside it (an edit here moves
// no date at all); it is at least a second later than the previous one,
// and a new publisher over the same store and content (a restart) keeps
// it and the ETag.
func TestLastModifiedIsChangeTime(t *testing.T) {
	st := fixture()
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	publisher := func() http.Handler {
		p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
			BaseURL: "http://news.example", Title: "t", Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine"}},
			Now: func() time.Time { return clock },
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		return p.Handler()
	}
	h := publisher()
	first := get(t, h, "GET", "/feeds/all.atom", nil)
	if lm := first.Header.Get("Last-Modified"); lm != "Mon, 30 Nov 2026 12:00:00 GMT" {
		t.Errorf("first Last-Modified %q, want the render's time", lm)
	}

	// An edit that moves no date: the title of a story, at the same second.
	st.stories[news.AllTopic][0].Items[0].Title = "Quantum chip, corrected"
	h = publisher()
	second := get(t, h, "GET", "/feeds/all.atom", nil)
	if lm := second.Header.Get("Last-Modified"); lm != "Mon, 30 Nov 2026 12:00:01 GMT" || second.Header.Get("ETag") == first.Header.Get("ETag") {
		t.Errorf("after an edit: Last-Modified %q, ETag %s (was %s); want a second later and a new ETag",
			lm, second.Header.Get("ETag"), first.Header.Get("ETag"))
	}
	if r := get(t, h, "GET", "/feeds/all.atom", map[string]string{"If-Modified-Since": first.Header.Get("Last-Modified")}); r.StatusCode != 200 {
		t.Errorf("If-Modified-Since the first time: %d, want 200", r.StatusCode)
	}

	clock = clock.Add(time.Hour) // a restart, nothing changed
	third := get(t, publisher(), "GET", "/feeds/all.atom", nil)
	for _, k := range []string{"Last-Modified", "ETag"} {
		if third.Header.Get(k) != second.Header.Get(k) {
			t.Errorf("after a restart: %s %q, want %q", k, third.Header.Get(k), second.Header.Get(k))
		}
	}
	if lm := get(t, publisher(), "GET", "/feeds/ukraine.atom", nil).Header.Get("Last-Modified"); lm != "Mon, 30 Nov 2026 12:00:00 GMT" {
		t.Errorf("an unchanged feed's Last-Modified = %q, want its first", lm)
	}
}
