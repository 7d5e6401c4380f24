package publish

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"tributary/news"
)

//go:embed story.html
var storyHTML string

// storyCSP is the story page's Content-Security-Policy: its inline
// style, and the outlets' pictures from wherever they are.
const storyCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// storyPage is a story with all its coverage, as /stories/{key} shows
// it and /stories/{key}.json gives it.
type storyPage struct {
	Key       string      `json:"key"`
	Title     string      `json:"title"`
	Published string      `json:"published"`
	Topics    []string    `json:"topics"`
	Outlets   int         `json:"outlets"`
	Items     []storyCopy `json:"items"`

	Site, Home, Icon, JSON, Version string `json:"-"`
}

// storyCopy is one outlet's copy of a story.
type storyCopy struct {
	Outlet    string        `json:"outlet"`
	Title     string        `json:"title"`
	Link      string        `json:"url,omitempty"`
	Summary   template.HTML `json:"summary_html,omitempty"`
	Image     string        `json:"image,omitempty"`
	Published string        `json:"published"`
	Joined    string        `json:"joined"` // when tributary first fetched it: when the outlet joined the story
}

// storyURL is where a story's coverage page is.
func (r *renderer) storyURL(key string) string { return r.base.JoinPath("stories", key).String() }

// serveStory serves /stories/{key} (HTML) and /stories/{key}.json: every
// outlet's copy of the story, oldest first. A story filed only in
// private topics needs a token.
func (p *Publisher) serveStory(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	key, asJSON := strings.CutSuffix(name, ".json")
	tokened := p.authorized(r)
	if p.opts.Private && !tokened {
		http.Error(w, "no such page", http.StatusNotFound)
		return
	}
	items, err := p.store.StoryItems(r.Context(), key)
	if err != nil {
		p.log.Error("story page", "story", key, slog.Any("err", err))
		http.Error(w, "the story could not be read", http.StatusInternalServerError)
		return
	}
	if len(items) == 0 || (!tokened && p.privateOnly(items)) {
		http.Error(w, "no such story", http.StatusNotFound)
		return
	}
	pg := p.storyPage(key, items)
	var body []byte
	contentType := "application/json"
	if asJSON {
		body, err = json.MarshalIndent(pg, "", "  ")
	} else {
		var buf bytes.Buffer
		err = p.storyTmpl.Execute(&buf, pg)
		body, contentType = buf.Bytes(), "text/html; charset=utf-8"
	}
	if err != nil {
		p.log.Error("story page", "story", key, slog.Any("err", err))
		http.Error(w, "the story could not be rendered", http.StatusInternalServerError)
		return
	}
	var modified time.Time
	for _, it := range items {
		for _, t := range []time.Time{it.Fetched, it.Updated} {
			if t.After(modified) {
				modified = t
			}
		}
	}
	if tokened && p.anyPrivate() {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.Header().Set("Content-Security-Policy", storyCSP)
	w.Header().Set("Referrer-Policy", "no-referrer")
	p.serve(w, r, newDocument(body, contentType, modified))
}

// privateOnly reports whether a story's items are filed in private
// topics and in no other.
func (p *Publisher) privateOnly(items []news.Item) bool {
	filed := false
	for _, it := range items {
		for _, t := range it.Topics {
			if !p.private(t) {
				return false
			}
			filed = true
		}
	}
	return filed
}

// storyPage builds what a story's page shows of its items.
func (p *Publisher) storyPage(key string, items []news.Item) storyPage {
	byTime := slices.Clone(items)
	slices.SortStableFunc(byTime, func(a, b news.Item) int { return a.Published.Compare(b.Published) })
	pg := storyPage{Key: key, Title: headline(&items[0]), Published: stamp(byTime[0].Published),
		Outlets: news.Outlets(&news.Story{Items: items}),
		Site:    p.opts.Title, Home: p.render.base.String(), Icon: p.render.favicon,
		JSON: p.render.storyURL(key) + ".json", Version: p.opts.Version}
	for _, it := range byTime {
		for _, t := range it.Topics {
			if !slices.Contains(pg.Topics, t) {
				pg.Topics = append(pg.Topics, t)
			}
		}
		pg.Items = append(pg.Items, storyCopy{Outlet: it.Outlet.Label(), Title: headline(&it), Link: news.SafeURL(it.Link),
			Summary: template.HTML(it.Summary), Image: news.SafeURL(it.Image), // sanitised when stored
			Published: stamp(it.Published), Joined: stamp(it.Fetched)})
	}
	slices.Sort(pg.Topics)
	return pg
}

// stamp is a time as the pages show it.
func stamp(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }
