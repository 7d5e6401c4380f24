package publish

import (
	"bytes"
	"encoding/json"
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

// generic builds the format-neutral gorilla feed.
func (r *renderer) generic(t news.Topic, stories []news.Story) *feeds.Feed {
	f := &feeds.Feed{
		Title:       r.feedTitle(t),
		Link:        &feeds.Link{Href: r.base.String()},
		Description: r.description,
		Author:      &feeds.Author{Name: r.title},
		Updated:     updated(stories),
	}
	if t.Name != news.AllTopic {
		f.Description = t.Title + ", from " + r.title
	}
	for i := range stories {
		s := &stories[i]
		rep := s.Representative()
		if rep == nil {
			continue
		}
		also := alsoReported(s)
		item := &feeds.Item{
			Title:       rep.Title,
			Link:        &feeds.Link{Href: news.SafeURL(rep.Link)},
			Description: summary(rep, also),
			Id:          r.entryID(s.Key),
			IsPermaLink: "false",
			Created:     s.Published.UTC(),
			Updated:     s.Updated.UTC(),
		}
		if rep.Content != "" {
			item.Content = rep.Content + also
		}
		if rep.Author != "" {
			item.Author = &feeds.Author{Name: rep.Author}
		}
		f.Items = append(f.Items, item)
	}
	return f
}

// summary is an entry's summary: its representative's, else, when the
// upstream gave a headline alone, who reported it. Every entry then has
// textual content (Atom readers and the W3C validator ask for it), the
// same in every format.
func summary(rep *news.Item, also string) string {
	if rep.Summary == "" && rep.Content == "" {
		return "<p>Reported by " + html.EscapeString(rep.Source) + ".</p>" + also
	}
	return rep.Summary + also
}

// alsoReported lists the story's other copies as an HTML paragraph, one
// link per other source.
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
			html.EscapeString(link), html.EscapeString(it.Source)))
	}
	if len(links) == 0 {
		return ""
	}
	return "<p>Also reported by: " + strings.Join(links, ", ") + "</p>"
}

func (r *renderer) render(f Format, t news.Topic, stories []news.Story) ([]byte, error) {
	g := r.generic(t, stories)
	switch f {
	case RSS:
		return r.rss(g, t, stories)
	case Atom:
		return r.atom(g, t, stories)
	default:
		return r.json(g, t, stories)
	}
}

func (r *renderer) rss(g *feeds.Feed, t news.Topic, stories []news.Story) ([]byte, error) {
	ch := (&feeds.Rss{Feed: g}).RssFeed()
	items := ch.Items
	ch.Items = nil
	ch.ManagingEditor = "" // RSS wants an e-mail address there; we have none
	ch.Generator = "tributary"
	doc := &rssDoc{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS:    atomNS,
		DCNS:      "http://purl.org/dc/elements/1.1/",
		Channel: &rssChannel{
			RssFeed: ch,
			Links:   []atomLink{{Href: r.feedURL(t.Name, RSS), Rel: "self", Type: "application/rss+xml"}},
		},
	}
	if r.hub != "" {
		doc.Channel.Links = append(doc.Channel.Links, atomLink{Href: r.hub, Rel: "hub"})
	}
	for i, it := range items {
		creator := it.Author
		it.Author = "" // RSS wants an e-mail address there; dc:creator takes a name
		doc.Channel.Items = append(doc.Channel.Items, &rssItem{RssItem: it, Creator: creator, Categories: stories[i].Topics})
	}
	return marshalXML(doc)
}

func (r *renderer) atom(g *feeds.Feed, t news.Topic, stories []news.Story) ([]byte, error) {
	af := (&feeds.Atom{Feed: g}).AtomFeed()
	entries := af.Entries
	af.Entries, af.Link = nil, nil
	af.Id = r.feedID(t.Name) // gorilla would use the home page, shared by every topic
	doc := &atomFeed{
		AtomFeed: af,
		Links: []feeds.AtomLink{
			{Href: r.feedURL(t.Name, Atom), Rel: "self", Type: "application/atom+xml"},
			{Href: r.base.String(), Rel: "alternate", Type: "text/html"},
		},
	}
	if r.hub != "" {
		doc.Links = append(doc.Links, feeds.AtomLink{Href: r.hub, Rel: "hub"})
	}
	for i, e := range entries {
		ae := &atomEntry{AtomEntry: e, Links: e.Links}
		e.Links = nil
		if p := stories[i].Published; !p.IsZero() {
			e.Published = p.UTC().Format(time.RFC3339)
		}
		for _, it := range stories[i].Items[1:] {
			if link := news.SafeURL(it.Link); link != "" {
				ae.Links = append(ae.Links, feeds.AtomLink{Href: link, Rel: "related", Type: "text/html"})
			}
		}
		for _, topic := range stories[i].Topics {
			ae.Categories = append(ae.Categories, atomCategory{Term: topic})
		}
		doc.Entries = append(doc.Entries, ae)
	}
	return marshalXML(doc)
}

func (r *renderer) json(g *feeds.Feed, t news.Topic, stories []news.Story) ([]byte, error) {
	jf := (&feeds.JSON{Feed: g}).JSONFeed()
	jf.FeedUrl = r.feedURL(t.Name, JSON)
	if r.hub != "" {
		jf.Hubs = []*feeds.JSONHub{{Type: "WebSub", Url: r.hub}}
	}
	jf.Author = nil // deprecated in 1.1; authors stays
	for i, it := range jf.Items {
		it.Tags = stories[i].Topics
		it.Author = nil
		if it.ContentHTML == "" { // JSON Feed requires content_html or content_text
			it.ContentHTML = it.Summary
		}
		it.Summary = "" // JSON Feed's summary is plain text; the HTML is in content_html
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
