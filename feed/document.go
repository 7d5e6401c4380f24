package feed

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"tributary/fetch"
	"tributary/news"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
)

// Document is an upstream document as read: its entries identified and
// fingerprinted (newest first, at most maxItems), what it says of its
// outlet, and how long its RSS <ttl> asks readers to wait.
type Document struct {
	Entries  []Entry
	Outlet   news.OutletInfo
	TTL      time.Duration // 0 when it says nothing
	Repaired bool          // invalid UTF-8 was replaced
}

// Parse reads a fetched document of the source at base (its URL:
// relative links are resolved against the document's own link, else
// against it), keeping at most maxItems entries.
func (n *Reader) Parse(resp *fetch.Response, base string, maxItems int) (*Document, error) {
	feed, repaired, err := parse(resp, maxItems)
	if err != nil {
		return &Document{Repaired: repaired}, err
	}
	d := &Document{Entries: entries(feed, base), Repaired: repaired, TTL: rssTTL(resp.Body),
		Outlet: news.OutletInfo{
			Title: clip(OutletName(n.text(feed.Title), imageTitle(feed), resolve(base, strings.TrimSpace(feed.Link))), maxTitle),
			Site:  news.SafeURL(resolve(base, strings.TrimSpace(feed.Link))),
		}}
	if len(d.Entries) > maxItems { // feeds list newest first
		d.Entries = d.Entries[:maxItems]
	}
	return d, nil
}

// Article returns the article of a page's HTML found at pageURL, for
// full text: the element selector (a CSS selector) names, else what
// readability takes for the article; cut at the cap every content has,
// links made absolute, sanitised as every HTML is. A page where no
// article text is found is an error.
func (n *Reader) Article(page []byte, pageURL, selector string) (string, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return "", err
	}
	var article string
	if selector != "" {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
		if err != nil {
			return "", err
		}
		found := doc.Find(selector).First()
		if found.Length() == 0 {
			return "", fmt.Errorf("full_text_selector %q matches nothing on the page", selector)
		}
		if article, err = goquery.OuterHtml(found); err != nil {
			return "", err
		}
	} else {
		art, err := readability.FromReader(bytes.NewReader(page), base)
		if err != nil {
			return "", fmt.Errorf("readability: %w", err)
		}
		var b strings.Builder
		if err := art.RenderHTML(&b); err != nil {
			return "", err
		}
		article = b.String()
	}
	content := n.html.Sanitize(resolveLinks(truncate(article, maxHTML), pageURL))
	if strings.TrimSpace(n.plain.Sanitize(content)) == "" {
		return "", fmt.Errorf("no article text found on the page")
	}
	return content, nil
}

// imageTitle is the title of a feed's image, which often names its
// outlet ("Telegraph Logo").
func imageTitle(f *gofeed.Feed) string {
	if f.Image == nil {
		return ""
	}
	return f.Image.Title
}
