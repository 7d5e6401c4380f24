package publish

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"tributary/news"
)

// Format is a published feed format.
type Format string

// The published formats, named by their file extension.
const (
	RSS  Format = "rss"
	Atom Format = "atom"
	JSON Format = "json"
)

// formats lists every format in the order the front page shows them.
func formats() []Format { return []Format{RSS, Atom, JSON} }

// ContentType returns the media type served for f.
func (f Format) ContentType() string {
	switch f {
	case RSS:
		return "application/rss+xml; charset=utf-8"
	case Atom:
		return "application/atom+xml; charset=utf-8"
	default:
		return "application/feed+json; charset=utf-8"
	}
}

// tagDate is the date in every entry's tag: URI. It is a constant, not
// the story's date, so an id can never change once published (RFC 4151
// asks only that the authority held the name on that date).
const tagDate = "2026"

// renderer turns stories into feed documents. Its output depends only on
// its inputs, so unchanged stories give byte-identical feeds and ETags.
type renderer struct {
	base        *url.URL
	title       string
	description string
	hub         string // WebSub hub URL, if any; never linked from a private feed
	icon        string // a square icon's URL
	favicon     string // a small icon's URL
	ttl         int    // RSS <ttl>, minutes: how long readers may cache a feed (publish.max_age)
	cache       *fragments
	private     bool // every feed asks for a token (publish.private): links to pages would not carry it
}

func (r *renderer) feedURL(topic string, f Format) string {
	return r.base.JoinPath("feeds", topic+"."+string(f)).String()
}

func (r *renderer) entryID(story string) string {
	return fmt.Sprintf("tag:%s,%s:story/%s", r.base.Hostname(), tagDate, story)
}

func (r *renderer) feedID(topic string) string {
	return fmt.Sprintf("tag:%s,%s:feed/%s", r.base.Hostname(), tagDate, topic)
}

func (r *renderer) feedTitle(t news.Topic) string {
	if t.Name == news.AllTopic {
		return r.title
	}
	return r.title + ": " + t.Title
}

// updated is the newest change among stories; an empty feed says the Unix
// epoch so that its bytes, too, are stable.
func updated(stories []news.Story) time.Time {
	var u time.Time
	for _, s := range stories {
		if s.Updated.After(u) {
			u = s.Updated
		}
	}
	if u.IsZero() {
		u = time.Unix(0, 0)
	}
	return u.UTC()
}

// render renders a topic's document in format f: its head, then the
// entries of its stories, each taken from the cache when its story did
// not change (see fragments).
func (r *renderer) render(f Format, t news.Topic, stories []news.Story, every bool) ([]byte, error) {
	doc := t.Name + "." + string(f)
	var keys []fragmentKey
	var items [][]byte
	for i := range stories {
		s := &stories[i]
		if s.Representative() == nil {
			continue
		}
		key := fragmentKey{story: s.Key, version: storyVersion(s), format: f, every: every, private: t.Private}
		b, err := r.cache.get(key, func() ([]byte, error) {
			coverage := r.storyURL(s.Key)
			if r.private || t.Private { // the page would ask for the token the link cannot carry
				coverage = ""
			}
			e, _ := newEntry(s, every, coverage)
			return r.renderEntry(f, &e)
		})
		if err != nil {
			return nil, err
		}
		keys, items = append(keys, key), append(items, b)
	}
	var body []byte
	var err error
	switch f {
	case RSS:
		body, err = r.rss(t, stories, items)
	case Atom:
		body, err = r.atom(t, stories, items)
	default:
		body, err = r.json(t, stories, items)
	}
	if err == nil {
		r.cache.use(doc, keys)
	}
	return body, err
}

func (r *renderer) renderEntry(f Format, e *entry) ([]byte, error) {
	switch f {
	case RSS:
		return r.rssEntry(e)
	case Atom:
		return r.atomEntry(e)
	default:
		return r.jsonEntry(e)
	}
}

// head builds the format-neutral gorilla feed, without items: gorilla/
// feeds renders what every format shares, the formats' files add the
// rest. The feed names no author: readers would lend it to every entry.
func (r *renderer) head(t news.Topic, stories []news.Story) *feeds.Feed {
	f := &feeds.Feed{
		Title:       r.feedTitle(t),
		Link:        &feeds.Link{Href: r.base.String()},
		Description: r.description,
		Updated:     updated(stories),
	}
	if t.Name != news.AllTopic {
		f.Description = t.Title + ", from " + r.title
	}
	return f
}

// item builds an entry's format-neutral gorilla item.
func (r *renderer) item(e *entry) *feeds.Item {
	item := &feeds.Item{
		Title:       headline(e.rep),
		Link:        &feeds.Link{Href: e.link},
		Description: e.summary,
		Content:     e.content,
		Id:          r.entryID(e.story.Key),
		IsPermaLink: "false",
		Created:     e.story.Published.UTC(),
		Updated:     e.story.Updated.UTC(),
		Author:      &feeds.Author{Name: e.author},
	}
	if enc := e.best(); enc != nil {
		item.Enclosure = &feeds.Enclosure{Url: enc.URL, Type: enc.Type, Length: fmt.Sprint(enc.Length)}
	}
	return item
}

// oneItem is a feed holding only item, for gorilla to convert.
func oneItem(item *feeds.Item) *feeds.Feed { return &feeds.Feed{Items: []*feeds.Item{item}} }

// everyOutlet lists every outlet that carries the story, with its
// headline and link, as HTML: what a hot feed's entry shows.
func everyOutlet(s *news.Story) string {
	var rows []string
	seen := map[string]bool{}
	for i := range s.Items {
		it := &s.Items[i]
		if seen[it.Source] {
			continue
		}
		seen[it.Source] = true
		title := html.EscapeString(headline(it))
		if link := news.SafeURL(it.Link); link != "" {
			title = fmt.Sprintf(`<a href="%s" rel="noopener noreferrer">%s</a>`, html.EscapeString(link), title)
		}
		rows = append(rows, "<li>"+html.EscapeString(it.Outlet.Label())+": "+title+"</li>")
	}
	return fmt.Sprintf("<p>Carried by %d outlets:</p><ul>%s</ul>", len(rows), strings.Join(rows, ""))
}

// alsoReported lists the story's other copies as an HTML paragraph, one
// link per other outlet.
func alsoReported(s *news.Story) string {
	rep := s.Representative()
	var links []string
	seen := map[string]bool{rep.Source: true}
	for _, it := range s.Items[1:] {
		link := news.SafeURL(it.Link) // stored before links were checked, perhaps
		if seen[it.Source] || link == "" {
			continue
		}
		seen[it.Source] = true
		links = append(links, fmt.Sprintf(`<a href="%s" rel="noopener noreferrer">%s</a>`,
			html.EscapeString(link), html.EscapeString(it.Outlet.Label())))
	}
	if len(links) == 0 {
		return ""
	}
	return "<p>Also reported by: " + strings.Join(links, ", ") + "</p>"
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := indentXML(&buf, v, ""); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// xmlFragment renders one entry of an XML document as it sits in it,
// depth levels down: a newline, then the element, indented. Written one
// after another with ,innerxml as the last children of their parent,
// entries make the very bytes encoding/xml writes for the whole document.
func xmlFragment(v any, depth int) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('\n')
	if err := indentXML(&buf, v, strings.Repeat("  ", depth)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func indentXML(buf *bytes.Buffer, v any, prefix string) error {
	enc := xml.NewEncoder(buf)
	enc.Indent(prefix, "  ")
	return enc.Encode(v)
}
