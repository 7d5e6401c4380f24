package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"
	xhtml "golang.org/x/net/html"

	"tributary/dedupe"
	"tributary/news"
)

// Field caps: an upstream cannot make us store or republish megabytes of
// title. Longer values are cut at a rune boundary.
const (
	maxTitle   = 1000
	maxAuthor  = 200
	maxHTML    = 256 << 10
	maxCatName = 100
	maxCats    = 20
	// futureSlack is how far ahead of our clock a published date may be
	// before it is taken as wrong and replaced by the fetch time.
	futureSlack = time.Hour
)

// Reader parses upstream documents and cleans their entries into
// news.Items. Its policies are built once: bluemonday policies are safe
// for concurrent use, and so is a Reader.
type Reader struct {
	html  *bluemonday.Policy // summaries and content
	plain *bluemonday.Policy // titles and names: no markup at all
}

// NewReader returns a reader.
func NewReader() *Reader {
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	// Links open apart from the reader, with rel="noopener noreferrer".
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return &Reader{html: p, plain: bluemonday.StrictPolicy()}
}

// Entry is an upstream entry identified and fingerprinted, before the
// costly part of normalising (sanitising HTML), which only new and edited
// entries need.
type Entry struct {
	Pos  int    // position in the document, first (newest) 0
	GUID string // the entry's id, else its link, else a digest of its title and dates
	Link string // absolute
	Hash string // digest of everything the source said about the entry
	raw  *gofeed.Item
}

// entries identifies every entry of feed. Relative links are resolved
// against the feed's own link, else against base (the feed's URL). Entries
// repeating an earlier GUID in the same document are dropped.
func entries(feed *gofeed.Feed, base string) []Entry {
	if feed.Link != "" {
		base = resolve(base, feed.Link)
	}
	out := make([]Entry, 0, len(feed.Items))
	seen := make(map[string]bool, len(feed.Items))
	for _, e := range feed.Items {
		if e == nil {
			continue
		}
		en := Entry{Pos: len(out), Link: firstLink(e, base), raw: e}
		en.GUID = strings.TrimSpace(e.GUID)
		if en.GUID == "" {
			en.GUID = en.Link
		}
		if en.GUID == "" { // no id and no link: the title and date must do
			en.GUID = "sha256:" + digest(e.Title, e.Published, e.Updated)
		}
		if seen[en.GUID] {
			continue
		}
		seen[en.GUID] = true
		// What the source said, not the fetch time standing in for a
		// missing date, so an undated entry is not "edited" every poll.
		parts := []string{en.Link, e.Title, e.Description, e.Content, e.Published, e.Updated}
		if e.Author != nil {
			parts = append(parts, e.Author.Name)
		}
		for _, a := range e.Authors {
			if a != nil {
				parts = append(parts, a.Name)
			}
		}
		parts = append(parts, e.Categories...)
		// Pictures and files count only when there are any, so that
		// items stored before they were kept do not all look edited.
		if img, encs := picture(e, en.Link), enclosures(e, en.Link); img != "" || len(encs) > 0 {
			parts = append(parts, "\x00media", img)
			for _, f := range encs {
				parts = append(parts, f.URL, f.Type)
			}
		}
		en.Hash = digest(parts...)
		out = append(out, en)
	}
	return out
}

// item normalises one entry of src, fetched at now. An entry without a
// date stands at now less a second per entry before it in the document:
// the feed's order is kept, and no two entries of one poll share a time
// (two Atom entries with one updated time are suspect to validators).
func (n *Reader) Item(src news.Source, en Entry, now time.Time) news.Item {
	now = now.UTC()
	at := now.Add(-time.Duration(en.Pos) * time.Second)
	e := en.raw
	it := news.Item{Source: src.Name, GUID: en.GUID, Link: en.Link, Hash: en.Hash, Fetched: now}
	it.URL = dedupe.Canonical(it.Link)
	it.Title = clip(n.text(e.Title), maxTitle)
	it.Summary = n.html.Sanitize(resolveLinks(truncate(e.Description, maxHTML), it.Link))
	it.Content = n.html.Sanitize(resolveLinks(truncate(e.Content, maxHTML), it.Link))
	if e.Author != nil {
		it.Author = clip(n.text(e.Author.Name), maxAuthor)
	} else if len(e.Authors) > 0 && e.Authors[0] != nil {
		it.Author = clip(n.text(e.Authors[0].Name), maxAuthor)
	}
	it.Categories = n.categories(e.Categories)
	it.Image = picture(e, it.Link)
	if it.Image == "" {
		it.Image = firstImage(it.Link, e.Content, e.Description)
	}
	it.Enclosures = enclosures(e, it.Link)
	it.Undated = e.PublishedParsed == nil && e.UpdatedParsed == nil
	it.Published = pickTime(at, e.PublishedParsed, e.UpdatedParsed)
	it.Updated = pickTime(at, e.UpdatedParsed, e.PublishedParsed)
	if it.Updated.Before(it.Published) {
		it.Updated = it.Published
	}
	return it
}

// text reduces s to one line of plain text: markup dropped, entities
// decoded (twice-escaped ones too), control characters and the invisible
// ones that can reorder or hide text (bidi controls, zero-width spaces:
// see invisible) removed, runs of white space collapsed.
func (n *Reader) text(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = html.UnescapeString(n.plain.Sanitize(s))
		s = html.UnescapeString(s) // "&amp;amp;" from sloppy feeds
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r) || r == utf8.RuneError || invisible(r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// invisible reports the format characters a title or name never needs
// and that can make it lie: the bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C),
// which reorder what follows ("gpj.exe" shown as "exe.jpg"), and the
// zero-width space, word joiner and byte-order mark, which hide a break
// or split a word a reader or a rule sees whole. The zero-width joiner
// and non-joiner stay: emoji sequences and several scripts need them.
func invisible(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	switch r {
	case 0x200b, 0x200e, 0x200f, 0x061c, 0x2060, 0xfeff:
		return true
	}
	return false
}

func (n *Reader) categories(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range in {
		c = clip(n.text(c), maxCatName)
		if c == "" || seen[strings.ToLower(c)] || len(out) == maxCats {
			continue
		}
		seen[strings.ToLower(c)] = true
		out = append(out, c)
	}
	return out
}

// firstLink is the entry's first link that is an http(s) URL once made
// absolute against base, or "" when it has none: the entry is kept,
// without a link.
func firstLink(e *gofeed.Item, base string) string {
	for _, l := range append([]string{e.Link}, e.Links...) {
		if l = strings.TrimSpace(l); l != "" {
			if safe := news.SafeURL(resolve(base, l)); safe != "" {
				return safe
			}
		}
	}
	return ""
}

// resolve makes ref absolute against base when it can.
func resolve(base, ref string) string {
	r, err := url.Parse(ref)
	if err != nil || r.IsAbs() {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") {
		return ref
	}
	return b.ResolveReference(r).String()
}

// pickTime returns the first non-nil time, in UTC, or now; a time more than
// futureSlack ahead of now is clamped to now.
func pickTime(now time.Time, ts ...*time.Time) time.Time {
	for _, t := range ts {
		if t == nil || t.IsZero() {
			continue
		}
		if t.After(now.Add(futureSlack)) {
			return now
		}
		return t.UTC()
	}
	return now
}

// clip truncates plain text and drops the space the cut may leave.
func clip(s string, n int) string {
	return strings.TrimRightFunc(truncate(s, n), unicode.IsSpace)
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// resolveLinks makes the href and src attributes of an HTML fragment
// absolute against base (the item's link), so links and images work in a
// reader far from the site. Everything else passes through as it was; the
// sanitiser runs afterwards.
func resolveLinks(fragment, base string) string {
	if base == "" || !strings.Contains(fragment, "<") {
		return fragment
	}
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		return fragment
	}
	z := xhtml.NewTokenizer(strings.NewReader(fragment))
	var out strings.Builder
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return out.String()
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		tok := z.Token()
		for i, a := range tok.Attr {
			if a.Key != "href" && a.Key != "src" {
				continue
			}
			if r, err := url.Parse(strings.TrimSpace(a.Val)); err == nil && !r.IsAbs() {
				tok.Attr[i].Val = b.ResolveReference(r).String()
			}
		}
		out.WriteString(tok.String())
	}
}
