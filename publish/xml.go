package publish

import (
	"encoding/xml"

	"github.com/gorilla/feeds"
)

// gorilla/feeds builds most of each document; these wrappers add what it
// lacks for feeds that validate and credit their outlets: RSS atom:link
// rel="self", several categories per item, <source url> and
// media:thumbnail; Atom self and alternate links, categories with a term,
// <source> and every enclosure.

const (
	atomNS  = "http://www.w3.org/2005/Atom"
	mediaNS = "http://search.yahoo.com/mrss/"
)

type rssDoc struct {
	XMLName   xml.Name    `xml:"rss"`
	Version   string      `xml:"version,attr"`
	ContentNS string      `xml:"xmlns:content,attr"`
	AtomNS    string      `xml:"xmlns:atom,attr"`
	DCNS      string      `xml:"xmlns:dc,attr"`
	MediaNS   string      `xml:"xmlns:media,attr"`
	Channel   *rssChannel `xml:"channel"`
}

type rssChannel struct {
	*feeds.RssFeed
	Links []atomLink `xml:"atom:link"` // self, and hub with WebSub
	Items []byte     `xml:",innerxml"` // rendered entries, one after another (xmlFragment)
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssItem struct {
	*feeds.RssItem
	Creator    string          `xml:"dc:creator,omitempty"` // RSS's own author wants an e-mail address
	Categories []string        `xml:"category"`
	Source     *rssSource      `xml:"source"`
	Thumbnail  *mediaThumbnail `xml:"media:thumbnail"`
}

// rssSource is RSS 2.0's <source>: the channel the item came from.
type rssSource struct {
	URL   string `xml:"url,attr"`
	Title string `xml:",chardata"`
}

type mediaThumbnail struct {
	URL string `xml:"url,attr"`
}

type atomFeed struct {
	XMLName xml.Name `xml:"feed"`
	*feeds.AtomFeed
	Links   []feeds.AtomLink `xml:"link"`
	Entries []byte           `xml:",innerxml"` // rendered entries, one after another (xmlFragment)
}

type atomEntry struct {
	*feeds.AtomEntry
	Links      []feeds.AtomLink `xml:"link"`
	Categories []atomCategory   `xml:"category"`
	Source     *atomSource      `xml:"source"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// atomSource is Atom's <source>: the feed the entry came from, with the
// id, title and updated elements validators look for.
type atomSource struct {
	ID      string           `xml:"id"`
	Title   string           `xml:"title"`
	Updated string           `xml:"updated"`
	Links   []feeds.AtomLink `xml:"link"`
}
