package aggregator

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
	n := newNormalizer()
	for name, h := range hostile {
		t.Run(name, func(t *testing.T) {
			e := &gofeed.Item{GUID: "1", Title: "t", Description: h, Content: h, Link: "https://site.example/a/b"}
			it := n.item(news.Source{Name: "s"}, entry{guid: "1", link: e.Link, raw: e}, time.Now())
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
	n := newNormalizer()
	e := &gofeed.Item{GUID: "1", Title: "t", Link: "https://site.example/news/a",
		Description: `<a href="/more">more</a> <img src="pic.png"> <a href="https://other.example/x">x</a>`}
	it := n.item(news.Source{Name: "s"}, entry{guid: "1", link: e.Link, raw: e}, time.Now())
	for _, want := range []string{`href="https://site.example/more"`, `src="https://site.example/news/pic.png"`, `noopener`, `noreferrer`} {
		if !strings.Contains(it.Summary, want) {
			t.Errorf("summary lacks %s: %s", want, it.Summary)
		}
	}
}
