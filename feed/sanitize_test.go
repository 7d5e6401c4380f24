package feed

import (
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"tributary/news"
)

// TestSanitiseHostileHTML pushes hostile markup through normalisation:
// none of it may survive into what is stored and published.
func TestSanitiseHostileHTML(t *testing.T) {
	hostile := map[string]string{
		"script":               `<p>hi</p><script>alert(1)</script>`,
		"onerror":              `<img src="x.png" onerror="alert(1)">`,
		"javascript href":      `<a href="javascript:alert(1)">x</a>`,
		"javascript srcset":    `<img src="a.png" srcset="javascript:alert(1) 1x, b.png 2x">`,
		"iframe srcdoc":        `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
		"svg script":           `<svg><script>alert(1)</script></svg>`,
		"button formaction":    `<form><button formaction="javascript:alert(1)">x</button></form>`,
		"mxss nesting":         `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		"entity javascript":    `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
		"tab in scheme":        `<a href="java&#09;script:alert(1)">x</a>`,
		"style attribute":      `<p style="background:url(javascript:alert(1))">x</p>`,
		"data url":             `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`,
		"object embed":         `<object data="x.swf"></object><embed src="x.swf">`,
		"meta refresh":         `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
		"base href":            `<base href="javascript:alert(1)//">`,
		"math xlink":           `<math><a xlink:href="javascript:alert(1)">x</a></math>`,
		"uppercase javascript": `<A HREF="JaVaScRiPt:alert(1)">x</A>`,
	}
	n := NewReader()
	for name, h := range hostile {
		t.Run(name, func(t *testing.T) {
			e := &gofeed.Item{GUID: "1", Title: "t", Description: h, Content: h, Link: "https://site.example/a/b"}
			it := n.Item(news.Source{Name: "s"}, Entry{GUID: "1", Link: e.Link, raw: e}, time.Now())
			for _, out := range []string{it.Summary, it.Content} {
				low := strings.ToLower(out)
				for _, bad := range []string{"<script", "onerror", "javascript:", "<iframe", "srcdoc", "<svg", "formaction",
					"<form", "<button", "style=", "data:", "<object", "<embed", "<meta", "<base", "xlink"} {
					if strings.Contains(low, bad) {
						t.Errorf("%q survived in %q", bad, out)
					}
				}
			}
		})
	}
}

func TestSanitiseLinks(t *testing.T) {
	n := NewReader()
	e := &gofeed.Item{GUID: "1", Title: "t", Link: "https://site.example/news/a",
		Description: `<a href="/more">more</a> <img src="pic.png"> <a href="https://other.example/x">x</a>`}
	it := n.Item(news.Source{Name: "s"}, Entry{GUID: "1", Link: e.Link, raw: e}, time.Now())
	for _, want := range []string{`href="https://site.example/more"`, `src="https://site.example/news/pic.png"`, `noopener`, `noreferrer`} {
		if !strings.Contains(it.Summary, want) {
			t.Errorf("summary lacks %s: %s", want, it.Summary)
		}
	}
}

// TestUnsafeItemLinksDropped: an item link that is not http(s) once made
// absolute is dropped and the item kept, in every format gofeed reads.
func TestUnsafeItemLinksDropped(t *testing.T) {
	hostile := []string{
		`JaVaScRiPt:alert(4)`,
		`javascript&#58;alert(1)`,
		`  javascript:alert(2)`,
		"\tjavascript:alert(3)",
		`java&#x09;script:alert(5)`,
		`vbscript:msgbox(1)`,
		`VBScript:msgbox(2)`,
		`data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
		`DATA:text/html,&lt;script&gt;alert(1)&lt;/script&gt;`,
		`feed:javascript:alert(1)`,
		`//evil.example/x`, // protocol-relative: resolved against the https feed, so kept
	}
	for _, link := range hostile {
		for _, format := range []string{"rss", "atom", "json"} {
			var doc string
			switch format {
			case "rss":
				doc = `<rss version="2.0"><channel><title>t</title><link>https://site.example/</link><item><guid>1</guid><title>Hostile</title><link>` +
					link + `</link></item></channel></rss>`
			case "atom":
				doc = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><entry><id>1</id><title>Hostile</title><link href="` +
					link + `"/></entry></feed>`
			default:
				doc = `{"version":"https://jsonfeed.org/version/1.1","title":"t","home_page_url":"https://site.example/","items":[{"id":"1","title":"Hostile","url":"` +
					strings.NewReplacer("\t", `\t`, "&#58;", ":", "&#x09;", `\t`, "&lt;", "<", "&gt;", ">").Replace(link) + `"}]}`
			}
			feed, err := gofeed.NewParser().Parse(strings.NewReader(doc))
			if err != nil {
				t.Fatalf("%s %q: %v", format, link, err)
			}
			ens := entries(feed, "https://site.example/feed.xml")
			if len(ens) != 1 {
				t.Fatalf("%s %q: %d entries, want the item kept", format, link, len(ens))
			}
			it := NewReader().Item(news.Source{Name: "s"}, ens[0], time.Now())
			want := ""
			if strings.HasPrefix(link, "//") {
				want = "https://evil.example/x"
			}
			if it.Link != want || it.Title != "Hostile" {
				t.Errorf("%s %q: link %q, title %q; want link %q and the item kept", format, link, it.Link, it.Title, want)
			}
		}
	}
}
