package publish

import (
	"fmt"
	"html"
	"net/url"
	"path"
	"strconv"
	"strings"

	"tributary/news"
)

// entry is one story as every format shows it.
type entry struct {
	story   *news.Story
	rep     *news.Item // the copy that stands for the story
	link    string     // its link, else the next copy's that has one (http(s) only)
	summary string     // HTML: the representative's summary (or who reported it), then Also reported by
	content string     // HTML: the representative's full text, then Also reported by; "" when it gave none
	author  string     // the upstream author with the outlet's name, else the outlet's name: never the aggregator's
	outlet  news.Outlet
	image   string           // the story's picture: the representative's, else the first copy's that has one
	files   []news.Enclosure // the representative's enclosures, http(s) only
}

// categories are the entry's categories in every format: the story's
// topics, then its corroboration, "sources:N" (how many outlets carry
// it), so a reader can filter on it in any client.
func (e *entry) categories() []string {
	return append(append([]string(nil), e.story.Topics...), "sources:"+strconv.Itoa(news.Outlets(e.story)))
}

// newEntry builds a story's entry, listing the other outlets' links, or
// with every, each outlet's headline and link (the hot feeds), and, for
// a story of several outlets, a link to its coverage page; false for a
// story without items.
func newEntry(s *news.Story, every bool, coverage string) (entry, bool) {
	rep := s.Representative()
	if rep == nil {
		return entry{}, false
	}
	also := alsoReported(s)
	if every {
		also = everyOutlet(s)
	}
	if n := news.Outlets(s); n > 1 && coverage != "" {
		also += fmt.Sprintf(`<p><a href="%s">All coverage: %d outlets</a></p>`, html.EscapeString(coverage), n)
	}
	e := entry{story: s, rep: rep, link: storyLink(s), summary: summary(rep, also), outlet: rep.Outlet}
	if rep.Content != "" {
		e.content = rep.Content + also
	}
	e.author = byline(rep)
	for _, it := range s.Items {
		if img := news.SafeURL(it.Image); img != "" {
			e.image = img
			break
		}
	}
	for _, f := range rep.Enclosures {
		if f.URL = news.SafeURL(f.URL); f.URL != "" && validMediaType(f.Type) {
			e.files = append(e.files, f)
		}
	}
	return e, true
}

// byline is who an entry is by, as readers show it: the upstream author
// with the outlet in brackets ("Alan Rappeport and Eshe Nelson (The New
// York Times)"), the outlet alone when the upstream names no author, the
// author alone when it names the outlet already. Readers show the author
// and ignore RSS and Atom <source>: the outlet must be in the author.
func byline(rep *news.Item) string {
	outlet := rep.Outlet.Label()
	switch {
	case rep.Author == "":
		return outlet
	case outlet == "" || strings.Contains(strings.ToLower(rep.Author), strings.ToLower(outlet)):
		return rep.Author
	}
	return rep.Author + " (" + outlet + ")"
}

// storyLink is where a story links: its representative's link, else the
// next copy's (in representative order) that has a safe one; "" when none
// has.
func storyLink(s *news.Story) string {
	for _, it := range s.Items {
		if link := news.SafeURL(it.Link); link != "" {
			return link
		}
	}
	return ""
}

// summary is an entry's summary: its representative's, else, when the
// upstream gave a headline alone, who reported it. Every entry then has
// textual content (Atom readers and the W3C validator ask for it), the
// same in every format.
func summary(rep *news.Item, also string) string {
	if rep.Summary == "" && rep.Content == "" {
		return "<p>Reported by " + html.EscapeString(rep.Outlet.Label()) + ".</p>" + also
	}
	return rep.Summary + also
}

// best is the enclosure a format that carries one shows: the
// representative's first, else the story's picture.
func (e *entry) best() *news.Enclosure {
	if len(e.files) > 0 {
		return &e.files[0]
	}
	if e.image != "" {
		return &news.Enclosure{URL: e.image, Type: imageType(e.image)}
	}
	return nil
}

// pictureIsFile reports whether the story's picture is among the
// enclosures already.
func (e *entry) pictureIsFile() bool {
	for _, f := range e.files {
		if f.URL == e.image {
			return true
		}
	}
	return false
}

// outletFeed is the outlet's feed URL to publish: an http(s) URL without
// credentials, else its site, else "".
func (e *entry) outletFeed() string {
	if u, err := url.Parse(e.outlet.FeedURL); err == nil && u.User != nil {
		u.User = nil
		return news.SafeURL(u.String())
	}
	if feed := news.SafeURL(e.outlet.FeedURL); feed != "" {
		return feed
	}
	return news.SafeURL(e.outlet.Site)
}

// imageType guesses a picture's media type from its URL's extension.
func imageType(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "image/jpeg"
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".svg":
		return "image/svg+xml"
	case ".avif":
		return "image/avif"
	}
	return "image/jpeg"
}

// validMediaType reports whether t looks like a media type (type/subtype),
// as enclosures must carry one.
func validMediaType(t string) bool {
	major, minor, ok := strings.Cut(t, "/")
	return ok && major != "" && minor != "" && !strings.ContainsAny(t, " \t\"<>")
}
