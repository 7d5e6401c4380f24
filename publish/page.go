package publish

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"html/template"

	"tributary/news"
)

//go:embed index.html
var indexHTML string

const (
	latestOnPage = 30
	hotOnPage    = 10
)

type pageFeed struct {
	URL, Label string
	// Type is the whole type="..." attribute, trusted because it is one of
	// our constants: html/template would write '+' as "&#43;", which
	// naive autodiscovery code in some readers does not decode.
	Type template.HTMLAttr
}

type pageTopic struct {
	Title, FeedTitle string
	Page             string // the topic's own page, /topics/{name}
	Count            int
	Feeds            []pageFeed
}

type pageLink struct{ Source, Link string }

type pageStory struct {
	Title, Link, Source, Published string
	Also                           []pageLink
	Outlets                        int    // how many outlets carry it
	Coverage                       string // its coverage page, for a story of several outlets
	Image                          string // its picture, as a thumbnail
}

type page struct {
	Title, Description, OPML, Version, Icon string
	Home                                    string // the front page, on a topic's page
	HotTitle                                string
	Topics                                  []pageTopic
	Stories                                 []pageStory
	Hot                                     []pageStory
	HotFeeds                                []pageFeed
}

// renderIndex renders the front page of topics, or, with scope, the page
// of one topic (/topics/{name}): its hot stories and its latest.
func (p *Publisher) renderIndex(topics []news.Topic, counts map[string]int, latest, hot []news.Story, scope *news.Topic) (*document, error) {
	pg := page{Title: p.opts.Title, Description: p.opts.Description, Version: p.opts.Version,
		OPML: p.render.base.JoinPath("opml").String(), Icon: p.render.favicon, HotTitle: "Hot now"}
	hotFeed := "hot"
	if scope != nil {
		pg.Title, pg.Description = scope.Title+" — "+p.opts.Title, scope.Title+", from "+p.opts.Title
		pg.Home, pg.HotTitle, hotFeed = p.render.base.String(), scope.Title+": hot now", hotTopic(*scope).Name
		topics = []news.Topic{*scope}
	}
	for _, t := range topics {
		pt := pageTopic{Title: t.Title, FeedTitle: p.render.feedTitle(t), Count: counts[t.Name],
			Page: p.render.base.JoinPath("topics", t.Name).String()}
		for _, f := range formats() {
			pt.Feeds = append(pt.Feeds, pageFeed{URL: p.render.feedURL(t.Name, f), Type: template.HTMLAttr(`type="` + f.mediaType() + `"`), Label: f.label()})
		}
		pg.Topics = append(pg.Topics, pt)
	}
	for _, f := range formats() {
		pg.HotFeeds = append(pg.HotFeeds, pageFeed{URL: p.render.feedURL(hotFeed, f), Type: template.HTMLAttr(`type="` + f.mediaType() + `"`), Label: f.label()})
	}
	pg.Stories = p.render.pageStories(latest)
	pg.Hot = p.render.pageStories(hot)
	var buf bytes.Buffer
	if err := p.page.Execute(&buf, pg); err != nil {
		return nil, err
	}
	return newDocument(buf.Bytes(), "text/html; charset=utf-8", updated(latest)), nil
}

func (f Format) mediaType() string {
	switch f {
	case RSS:
		return "application/rss+xml"
	case Atom:
		return "application/atom+xml"
	default:
		return "application/feed+json"
	}
}

func (f Format) label() string {
	switch f {
	case RSS:
		return "RSS"
	case Atom:
		return "Atom"
	default:
		return "JSON Feed"
	}
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text    string `xml:"text,attr"`
	Title   string `xml:"title,attr"`
	Type    string `xml:"type,attr"`
	XMLURL  string `xml:"xmlUrl,attr"`
	HTMLURL string `xml:"htmlUrl,attr"`
}

// renderOPML lists every topic's RSS feed, so one import subscribes a
// reader to all of them.
func (p *Publisher) renderOPML(topics []news.Topic) ([]byte, error) {
	doc := opmlDoc{Version: "2.0", Title: p.opts.Title}
	for _, t := range topics {
		for _, f := range []news.Topic{t, hotTopic(t)} { // each topic's feed, then its hot feed
			title := p.render.feedTitle(f)
			doc.Body = append(doc.Body, opmlOutline{Text: title, Title: title, Type: "rss",
				XMLURL: p.render.feedURL(f.Name, RSS), HTMLURL: p.render.base.String()})
		}
	}
	return marshalXML(doc)
}

// pageStories are stories as the front page lists them.
func (r *renderer) pageStories(stories []news.Story) []pageStory {
	var out []pageStory
	for _, s := range stories {
		rep := s.Representative()
		if rep == nil {
			continue
		}
		ps := pageStory{Title: headline(rep), Link: storyLink(&s), Source: rep.Outlet.Label(),
			Published: s.Published.UTC().Format("2 Jan 2006 15:04 UTC"), Outlets: news.Outlets(&s)}
		if ps.Outlets > 1 {
			ps.Coverage = r.storyURL(s.Key)
		}
		if e, ok := newEntry(&s, false, ""); ok {
			ps.Image = e.image
		}
		for _, it := range s.Items[1:] {
			if link := news.SafeURL(it.Link); link != "" {
				ps.Also = append(ps.Also, pageLink{Source: it.Outlet.Label(), Link: link})
			}
		}
		out = append(out, ps)
	}
	return out
}
