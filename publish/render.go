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
	hub         string // WebSub hub URL, if any
	icon        string // a square icon's URL
	favicon     string // a small icon's URL
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

func (r *renderer) render(f Format, t news.Topic, stories []news.Story) ([]byte, error) {
	entries := make([]entry, 0, len(stories))
	for i := range stories {
		if e, ok := newEntry(&stories[i]); ok {
			entries = append(entries, e)
		}
	}
	switch f {
	case RSS:
		return r.rss(t, stories, entries)
	case Atom:
		return r.atom(t, stories, entries)
	default:
		return r.json(t, stories, entries)
	}
}

// generic builds the format-neutral gorilla feed: gorilla/feeds renders
// what every format shares, the formats' files add the rest. The feed
// names no author: readers would lend it to every entry.
func (r *renderer) generic(t news.Topic, stories []news.Story, entries []entry) *feeds.Feed {
	f := &feeds.Feed{
		Title:       r.feedTitle(t),
		Link:        &feeds.Link{Href: r.base.String()},
		Description: r.description,
		Updated:     updated(stories),
	}
	if t.Name != news.AllTopic {
		f.Description = t.Title + ", from " + r.title
	}
	for _, e := range entries {
		item := &feeds.Item{
			Title:       e.rep.Title,
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
		f.Items = append(f.Items, item)
	}
	return f
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
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
