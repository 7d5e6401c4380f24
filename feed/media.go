package feed

import (
	"mime"
	"path"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	xhtml "golang.org/x/net/html"

	"tributary/news"
)

// maxEnclosures bounds the files kept of one item.
const maxEnclosures = 10

// picture returns the picture an entry declares, an absolute http(s) URL
// or "": a media:thumbnail (made to be shown in a list), else what gofeed
// found (itunes:image, an image media:content, an image enclosure, JSON
// Feed's image), else an image media:content of an Atom entry or in a
// media:group. firstImage looks in the text when there is none.
func picture(e *gofeed.Item, link string) string {
	var candidates []string
	media := e.Extensions["media"]
	for _, group := range append([]map[string][]ext.Extension{media}, children(media["group"])...) {
		for _, t := range group["thumbnail"] {
			candidates = append(candidates, t.Attrs["url"])
		}
	}
	if e.Image != nil {
		candidates = append(candidates, e.Image.URL)
	}
	for _, group := range append([]map[string][]ext.Extension{media}, children(media["group"])...) {
		for _, c := range group["content"] {
			if strings.HasPrefix(c.Attrs["type"], "image/") || c.Attrs["medium"] == "image" {
				candidates = append(candidates, c.Attrs["url"])
			}
		}
	}
	for _, c := range candidates {
		if u := news.SafeURL(resolve(link, strings.TrimSpace(c))); u != "" {
			return u
		}
	}
	return ""
}

func children(groups []ext.Extension) []map[string][]ext.Extension {
	var out []map[string][]ext.Extension
	for _, g := range groups {
		out = append(out, g.Children)
	}
	return out
}

// enclosures returns an entry's files (RSS enclosures, Atom enclosure
// links, JSON Feed attachments): absolute http(s) URLs with a media type,
// the upstream's or one guessed from the file name; others are dropped.
func enclosures(e *gofeed.Item, link string) []news.Enclosure {
	var out []news.Enclosure
	for _, enc := range e.Enclosures {
		if enc == nil || len(out) == maxEnclosures {
			continue
		}
		u := news.SafeURL(resolve(link, strings.TrimSpace(enc.URL)))
		if u == "" {
			continue
		}
		typ := strings.ToLower(strings.TrimSpace(enc.Type))
		if typ == "" || !strings.Contains(typ, "/") {
			typ = guessType(u)
		}
		if typ == "" {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(enc.Length), 10, 64)
		out = append(out, news.Enclosure{URL: u, Type: typ, Length: max(n, 0)})
	}
	return out
}

// guessType guesses a file's media type from its URL's extension; "" when
// it cannot.
func guessType(raw string) string {
	p := raw
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	t, _, _ := strings.Cut(mime.TypeByExtension(strings.ToLower(path.Ext(p))), ";")
	return t
}

// firstImage returns the first <img src> of HTML fragments, made absolute
// against link, when it is an http(s) URL; "" when none is. It tokenizes
// rather than parses, and runs for new and edited entries only.
func firstImage(link string, fragments ...string) string {
	for _, f := range fragments {
		if !strings.Contains(f, "<img") && !strings.Contains(f, "<IMG") {
			continue
		}
		z := xhtml.NewTokenizer(strings.NewReader(f))
		for {
			tt := z.Next()
			if tt == xhtml.ErrorToken {
				break
			}
			if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
				continue
			}
			name, hasAttr := z.TagName()
			if string(name) != "img" {
				continue
			}
			for hasAttr {
				var key, val []byte
				key, val, hasAttr = z.TagAttr()
				if string(key) == "src" {
					if u := news.SafeURL(resolve(link, strings.TrimSpace(string(val)))); u != "" {
						return u
					}
				}
			}
		}
	}
	return ""
}
