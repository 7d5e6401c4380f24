package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mmcdole/gofeed"
)

// poolItem is a real feed item's body as RSS 2.0 elements, escaped: its
// description (or content), author, categories and enclosures.
type poolItem struct{ xml string }

// loadPool reads every feed under dir (feed.xml, *.rss, *.atom, *.json,
// *.xml) and returns its items' bodies: what the fleet's entries carry.
func loadPool(dir string) ([]poolItem, error) {
	var pool []poolItem
	parser := gofeed.NewParser()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".xml", ".rss", ".atom", ".json":
		default:
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		feed, err := parser.Parse(f)
		if err != nil {
			return nil // the corpus may hold broken feeds on purpose
		}
		for _, it := range feed.Items {
			pool = append(pool, poolItem{xml: body(it)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(pool) == 0 {
		return nil, fmt.Errorf("no feed items under %s", dir)
	}
	return pool, nil
}

func body(it *gofeed.Item) string {
	var b strings.Builder
	text := it.Description
	if it.Content != "" {
		text = it.Content
	}
	fmt.Fprintf(&b, "<description>%s</description>", escape(text))
	if it.Author != nil && it.Author.Name != "" {
		fmt.Fprintf(&b, "<author>%s</author>", escape(it.Author.Name))
	}
	for _, c := range it.Categories {
		fmt.Fprintf(&b, "<category>%s</category>", escape(c))
	}
	for _, e := range it.Enclosures {
		if e.URL != "" {
			fmt.Fprintf(&b, `<enclosure url="%s" type="%s" length="%s"/>`, escape(e.URL), escape(e.Type), escape(e.Length))
		}
	}
	return b.String()
}
