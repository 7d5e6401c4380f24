package publish

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/gorilla/feeds"

	"tributary/news"
)

// jsonFeed is gorilla's JSON Feed with items rendered apart.
type jsonFeed struct {
	*feeds.JSONFeed
	Items []json.RawMessage `json:"items"`
}

// jsonItem is a JSON Feed item with the outlet in the _tributary
// extension (JSON Feed 1.1 lets publishers add keys that start with an
// underscore).
type jsonItem struct {
	*feeds.JSONItem
	Attachments []jsonAttachment `json:"attachments,omitempty"`
	Tributary   *jsonExtension   `json:"_tributary,omitempty"`
}

// jsonAttachment is a JSON Feed 1.1 attachment (gorilla/feeds names its
// size "size", where the spec says "size_in_bytes").
type jsonAttachment struct {
	URL         string `json:"url"`
	MIMEType    string `json:"mime_type"`
	SizeInBytes int64  `json:"size_in_bytes,omitempty"`
}

type jsonExtension struct {
	Outlet jsonOutlet `json:"outlet"`
}

type jsonOutlet struct {
	Name        string `json:"name"`
	FeedURL     string `json:"feed_url,omitempty"`
	HomePageURL string `json:"home_page_url,omitempty"`
}

// json renders JSON Feed 1.1: the feed has icon, favicon and no authors
// (readers would merge them into every item). Its items are the entries,
// indented already: they are spliced into the indented head's "items",
// its last key, as the encoder would have laid them out.
func (r *renderer) json(t news.Topic, stories []news.Story, items [][]byte) ([]byte, error) {
	jf := (&feeds.JSON{Feed: r.head(t, stories)}).JSONFeed()
	jf.FeedUrl = r.feedURL(t.Name, JSON)
	jf.Icon, jf.Favicon = r.icon, r.favicon
	if r.hub != "" && !t.Private {
		jf.Hubs = []*feeds.JSONHub{{Type: "WebSub", Url: r.hub}}
	}
	jf.Author, jf.Authors = nil, nil // deprecated in 1.1; and readers merge feed authors into items
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&jsonFeed{JSONFeed: jf, Items: []json.RawMessage{}}); err != nil {
		return nil, err
	}
	const empty = "[]\n}\n"
	head, ok := bytes.CutSuffix(buf.Bytes(), []byte(empty))
	if !ok {
		return nil, errors.New("json feed: items are not the last key")
	}
	if len(items) == 0 {
		return buf.Bytes(), nil
	}
	out := bytes.NewBuffer(make([]byte, 0, len(head)+len(empty)+(len(items[0])+6)*len(items)))
	out.Write(head)
	out.WriteString("[")
	for i, b := range items {
		if i > 0 {
			out.WriteString(",")
		}
		out.WriteString("\n" + jsonItemIndent)
		out.Write(b)
	}
	out.WriteString("\n  ]\n}\n")
	return out.Bytes(), nil
}

// jsonItemIndent is the depth of an item in the document: in "items",
// itself in the top-level object.
const jsonItemIndent = "    "

// jsonEntry renders an item, indented for its place in the document
// (jsonItemIndent): its own authors, its picture (image, and an image
// attachment), its files (attachments), its outlet in _tributary.
func (r *renderer) jsonEntry(e *entry) ([]byte, error) {
	it := (&feeds.JSON{Feed: oneItem(r.item(e))}).JSONFeed().Items[0]
	it.Tags = e.categories()
	it.Author, it.Authors = nil, []*feeds.JSONAuthor{{Name: e.author}}
	if it.ContentHTML == "" { // JSON Feed requires content_html or content_text
		it.ContentHTML = it.Summary
	}
	it.Summary = "" // JSON Feed's summary is plain text; the HTML is in content_html
	it.Image = e.image
	it.Attachments = nil
	ji := &jsonItem{JSONItem: it, Tributary: &jsonExtension{Outlet: jsonOutlet{
		Name: e.outlet.Label(), FeedURL: e.outletFeed(), HomePageURL: news.SafeURL(e.outlet.Site),
	}}}
	for _, f := range e.files {
		ji.Attachments = append(ji.Attachments, jsonAttachment{URL: f.URL, MIMEType: f.Type, SizeInBytes: max(f.Length, 0)})
	}
	// The picture is an image attachment too: Miniflux, like many readers,
	// ignores image and shows attachments; readers that read image show
	// it there, and an image attachment as a file, not a second picture.
	if e.image != "" && !e.pictureIsFile() {
		ji.Attachments = append(ji.Attachments, jsonAttachment{URL: e.image, MIMEType: imageType(e.image)})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ji); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, bytes.TrimSuffix(buf.Bytes(), []byte("\n")), jsonItemIndent, "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
