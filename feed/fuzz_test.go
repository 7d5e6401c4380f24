package feed

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"tributary/news"
)

// FuzzParseNormalize feeds arbitrary bytes through parsing and
// normalisation: nothing may panic, and whatever parses must come out as
// items that are safe to store and publish.
func FuzzParseNormalize(f *testing.F) {
	for _, seed := range []string{
		`<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>a &amp; b</title><link>/x</link><description>&lt;script&gt;x&lt;/script&gt;</description></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title type="html">&lt;b&gt;x&lt;/b&gt;</title><content type="html">&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"x","content_html":"<a href='javascript:alert(1)'>y</a>"}]}`,
	} {
		f.Add([]byte(seed))
	}
	n := NewReader()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		type parsed struct {
			feed *gofeed.Feed
			err  error
		}
		done := make(chan parsed, 1)
		go func() {
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			done <- parsed{feed, err}
		}()
		var p parsed
		select {
		case p = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("parsing %q takes more than 5s", body)
		}
		feed, err := p.feed, p.err
		if err != nil {
			return
		}
		for _, en := range entries(feed, "https://feeds.example/x") {
			it := n.Item(news.Source{Name: "s"}, en, now)
			if it.GUID == "" {
				t.Fatalf("empty GUID from %q", body)
			}
			if !utf8.ValidString(it.Title) || strings.ContainsFunc(it.Title, unicode.IsControl) || len(it.Title) > maxTitle {
				t.Fatalf("unsafe title %q", it.Title)
			}
			for _, h := range []string{it.Summary, it.Content} {
				if strings.Contains(strings.ToLower(h), "<script") || eventHandler.MatchString(h) || dangerousHref.MatchString(h) {
					t.Fatalf("unsafe HTML survived: %q", h)
				}
			}
			if it.Published.After(now.Add(futureSlack)) {
				t.Fatalf("published %v after clamping", it.Published)
			}
		}
	})
}
