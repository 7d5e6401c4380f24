package publish

import (
	"bytes"
	"fmt"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/gorilla/feeds"

	"tributary/news"
)

// atom renders Atom 1.0: the feed has its own id, self and alternate
// links, icon and logo, and no author (entries would inherit it); its
// entries are the rendered ones.
func (r *renderer) atom(t news.Topic, stories []news.Story, entries [][]byte) ([]byte, error) {
	af := (&feeds.Atom{Feed: r.head(t, stories)}).AtomFeed()
	af.Link, af.Author = nil, nil
	af.Id = r.feedID(t.Name) // gorilla would use the home page, shared by every topic
	af.Icon, af.Logo = r.favicon, r.icon
	doc := &atomFeed{
		AtomFeed: af,
		Links: []feeds.AtomLink{
			{Href: r.feedURL(t.Name, Atom), Rel: "self", Type: "application/atom+xml"},
			{Href: r.base.String(), Rel: "alternate", Type: "text/html"},
		},
		Entries: bytes.Join(entries, nil),
	}
	if r.hub != "" && !t.Private {
		doc.Links = append(doc.Links, feeds.AtomLink{Href: r.hub, Rel: "hub"})
	}
	return marshalXML(doc)
}

// atomEntry renders an entry: its own author, a <source> naming its
// outlet, its topics as categories, the other outlets' copies as related
// links, and its files and picture as enclosure links.
func (r *renderer) atomEntry(e *entry) ([]byte, error) {
	ge := (&feeds.Atom{Feed: oneItem(r.item(e))}).AtomFeed().Entries[0]
	ae := &atomEntry{AtomEntry: ge}
	for _, l := range ge.Links {
		if l.Rel != "enclosure" { // all of them follow, not only gorilla's one
			ae.Links = append(ae.Links, l)
		}
	}
	ge.Links = nil
	ge.Published = e.story.Published.UTC().Format(time.RFC3339)
	ge.Updated = atomUpdated(e.story)
	for _, f := range e.files {
		ae.Links = append(ae.Links, feeds.AtomLink{Href: f.URL, Rel: "enclosure", Type: f.Type, Length: length(f.Length)})
	}
	if e.image != "" && !e.pictureIsFile() {
		ae.Links = append(ae.Links, feeds.AtomLink{Href: e.image, Rel: "enclosure", Type: imageType(e.image)})
	}
	for _, it := range e.story.Items[1:] {
		if link := news.SafeURL(it.Link); link != "" {
			ae.Links = append(ae.Links, feeds.AtomLink{Href: link, Rel: "related", Type: "text/html"})
		}
	}
	for _, c := range e.categories() {
		ae.Categories = append(ae.Categories, atomCategory{Term: c})
	}
	ae.Source = r.atomSource(e)
	return xmlFragment(ae, 1) // feed > entry
}

// atomSource names the entry's outlet: its feed URL (or, when that is not
// to be published, the source's name under our tag) as id, its title, its
// links, and the representative's update time, which does not change at
// every poll.
func (r *renderer) atomSource(e *entry) *atomSource {
	src := &atomSource{Title: e.outlet.Label(), Updated: e.rep.Updated.UTC().Format(time.RFC3339)}
	src.ID = e.outletFeed()
	if src.ID == "" {
		src.ID = fmt.Sprintf("tag:%s,%s:source/%s", r.base.Hostname(), tagDate, e.outlet.Name)
	}
	if feed := news.SafeURL(e.outletFeed()); feed != "" && feed != news.SafeURL(e.outlet.Site) {
		src.Links = append(src.Links, feeds.AtomLink{Href: feed, Rel: "self"})
	}
	if site := news.SafeURL(e.outlet.Site); site != "" {
		src.Links = append(src.Links, feeds.AtomLink{Href: site, Rel: "alternate", Type: "text/html"})
	}
	return src
}

// length is an enclosure's length for an attribute: "" when unknown.
func length(n int64) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// atomUpdated is a story's atom:updated: its update time to the second,
// with milliseconds drawn from its key, so two stories updated in the
// same second (two outlets publishing at once) never show one value —
// which the W3C validator warns of — and a story's value is the same at
// every render.
func atomUpdated(s *news.Story) string {
	ms := time.Duration(xxhash.Sum64String(s.Key)%1000) * time.Millisecond
	return s.Updated.UTC().Truncate(time.Second).Add(ms).Format("2006-01-02T15:04:05.000Z07:00")
}
