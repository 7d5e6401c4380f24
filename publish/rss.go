package publish

import (
	"bytes"

	"github.com/gorilla/feeds"

	"tributary/news"
)

// rss renders RSS 2.0 with the content, Atom, Dublin Core and Media RSS
// namespaces, the channel carrying the icon (<image>), its items the
// rendered entries.
func (r *renderer) rss(t news.Topic, stories []news.Story, items [][]byte) ([]byte, error) {
	ch := (&feeds.Rss{Feed: r.head(t, stories)}).RssFeed()
	ch.ManagingEditor = "" // RSS wants an e-mail address there; we have none
	ch.Generator = "tributary"
	ch.Ttl = r.ttl
	if r.icon != "" {
		ch.Image = &feeds.RssImage{Url: r.icon, Title: ch.Title, Link: ch.Link}
	}
	doc := &rssDoc{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS:    atomNS,
		DCNS:      "http://purl.org/dc/elements/1.1/",
		MediaNS:   mediaNS,
		Channel: &rssChannel{
			RssFeed: ch,
			Links:   []atomLink{{Href: r.feedURL(t.Name, RSS), Rel: "self", Type: "application/rss+xml"}},
			Items:   bytes.Join(items, nil),
		},
	}
	if r.hub != "" && !t.Private {
		doc.Channel.Links = append(doc.Channel.Links, atomLink{Href: r.hub, Rel: "hub"})
	}
	return marshalXML(doc)
}

// rssEntry renders an item: it names its outlet (<source url>) and its
// author (dc:creator), and carries its best enclosure and its picture
// (media:thumbnail).
func (r *renderer) rssEntry(e *entry) ([]byte, error) {
	it := (&feeds.Rss{Feed: oneItem(r.item(e))}).RssFeed().Items[0]
	creator := it.Author
	it.Author = "" // RSS wants an e-mail address there; dc:creator takes a name
	ri := &rssItem{RssItem: it, Creator: creator, Categories: e.categories()}
	if feed := e.outletFeed(); feed != "" {
		ri.Source = &rssSource{URL: feed, Title: e.outlet.Label()}
	}
	if e.image != "" {
		ri.Thumbnail = &mediaThumbnail{URL: e.image}
	}
	return xmlFragment(ri, 2) // rss > channel > item
}
