// Package feedgen makes up news feeds for the project's load tools
// (scripts/fleet, scripts/bench-serve): RSS 2.0 documents whose entries
// carry real feeds' item bodies under made-up headlines.
package feedgen

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Pool is real feed items' bodies, each as RSS 2.0 elements, escaped: its
// description (or content), author, categories and enclosures.
type Pool []string

// LoadPool reads every feed under dir (*.xml, *.rss, *.atom, *.json) and
// returns its items' bodies. Documents that do not parse are skipped: a
// corpus may hold broken feeds on purpose.
func LoadPool(dir string) (Pool, error) {
	var pool Pool
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
			return nil
		}
		for _, it := range feed.Items {
			pool = append(pool, body(it))
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

// DefaultCorpus is the shared sample of real-world feeds when it is
// there (run from the repository's root), else the project's fixtures.
func DefaultCorpus() string {
	shared := filepath.Join("..", "shared", "data", "feeds", "rowanmanning-sample-feeds", "content", "real-world")
	if _, err := os.Stat(shared); err == nil {
		return shared
	}
	return filepath.Join("testdata", "feeds")
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

// Document renders source i's RSS 2.0 document of n entries numbered
// first to first+n-1, newest first. Entry k's body comes from the pool;
// its headline is made up (Headline), one entry in ten repeating the
// next source's headline for the same number, as outlets copy a wire
// story (of sources sources in all); its date is a day before epoch plus
// k seconds, the same at every render.
func (p Pool) Document(i, sources, first, n int, epoch time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Outlet %d</title><link>http://outlet%d.example/</link><description>Source %d</description>
`, i, i, i)
	for k := first + n - 1; k >= first; k-- {
		src := i
		if k%10 == 0 {
			src = (i + 1) % sources
		}
		published := epoch.Add(-24*time.Hour + time.Duration(k)*time.Second).UTC()
		fmt.Fprintf(&b, "<item><title>%s</title><link>http://outlet%d.example/%d/%d</link><guid isPermaLink=\"false\">%d-%d</guid><pubDate>%s</pubDate>",
			escape(Headline(src, k)), i, i, k, i, k, published.Format(time.RFC1123Z))
		b.WriteString(p[(i*7+k)%len(p)])
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// Headline makes up source src's headline number k: 6 to 11 words of a
// Zipf-distributed vocabulary of 30,000, the same for the same src and k.
func Headline(src, k int) string {
	r := rand.New(rand.NewPCG(uint64(src), uint64(k)))
	zipf := rand.NewZipf(r, 1.1, 1, 29_999)
	words := make([]string, 6+r.IntN(6))
	for j := range words {
		words[j] = "w" + strconv.FormatUint(zipf.Uint64(), 10) + "x"
	}
	return strings.Join(words, " ")
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
