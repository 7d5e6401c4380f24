package publish

import (
	"encoding/xml"

	"github.com/gorilla/feeds"
)

// gorilla/feeds builds most of each document; these wrappers add what it
// lacks for feeds that validate: RSS atom:link rel="self" with its
// namespace and several categories per item, Atom self and alternate links
// and categories with a term.

const atomNS = "http://www.w3.org/2005/Atom"

type rssDoc struct {
	XMLName   xml.Name    `xml:"rss"`
	Version   string      `xml:"version,attr"`
	ContentNS string      `xml:"xmlns:content,attr"`
	AtomNS    string      `xml:"xmlns:atom,attr"`
	DCNS      string      `xml:"xmlns:dc,attr"`
	Channel   *rssChannel `xml:"channel"`
}

type rssChannel struct {
	*feeds.RssFeed
	Links []atomLink `xml:"atom:link"` // self, and hub with WebSub
	Items []*rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssItem struct {
	*feeds.RssItem
	Creator    string   `xml:"dc:creator,omitempty"` // RSS's own author wants an e-mail address
	Categories []string `xml:"category"`
}

type atomFeed struct {
	XMLName xml.Name `xml:"feed"`
	*feeds.AtomFeed
	Links   []feeds.AtomLink `xml:"link"`
	Entries []*atomEntry     `xml:"entry"`
}

type atomEntry struct {
	*feeds.AtomEntry
	Links      []feeds.AtomLink `xml:"link"`
	Categories []atomCategory   `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}
