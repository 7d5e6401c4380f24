// Command dfgen makes the built-in background table (package text): in how many
// documents of a body of public English news text each comparison token
// occurs, for the most frequent tokens. A document is a headline with the
// first sentences of its summary (or of its article), tokenised exactly
// as the index tokenises them, so the table must be made again when the
// normalisation changes (go run ./internal/dfgen; README, "Near-duplicate
// stories"). It reads ../shared/data; the headline files tributary eval
// measures on (sts2013, uci-dev) are left out, so the figures stay honest.
package main

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"tributary/text"

	"github.com/mmcdole/gofeed"
)

func main() {
	data := flag.String("data", "../shared/data", "the shared test material")
	out := flag.String("out", "text/background.tsv.gz", "where to write the table")
	top := flag.Int("top", 50_000, "how many tokens to keep, most frequent first")
	flag.Parse()
	if err := run(*data, *out, *top); err != nil {
		log.Fatal(err)
	}
}

// counter counts documents and the documents each token occurs in.
type counter struct {
	norm *text.Normalizer
	docs int
	df   map[string]int
	seen map[string]bool // documents already counted, by their text
	// agEntity is an entity of AG News's without its ampersand.
	agEntity *regexp.Regexp
}

func (c *counter) add(title, text string) {
	key := title + "\x00" + text
	if strings.TrimSpace(key) == "\x00" || c.seen[key] {
		return
	}
	c.seen[key] = true
	c.docs++
	toks := c.norm.Tokens(title)
	more, _ := c.norm.TextTokens(text)
	for _, t := range more {
		if !slices.Contains(toks, t) {
			toks = append(toks, t)
		}
	}
	for _, t := range toks {
		c.df[t]++
	}
}

func run(data, out string, top int) error {
	norm, err := text.NewNormalizer(nil)
	if err != nil {
		return err
	}
	c := &counter{norm: norm, df: map[string]int{}, seen: map[string]bool{}, agEntity: regexp.MustCompile(`\s?#(\d{2,4});`)}
	for _, dir := range []string{
		"feeds/rowanmanning-sample-feeds/content",
		"feeds/feedjira/spec/sample_feeds",
		"feeds/rsparser/Tests/RSParserTests/Resources",
		"feeds/rss-parser/test/input",
		"feeds/node-feedparser/test/feeds",
	} {
		if err := feeds(c, filepath.Join(data, dir)); err != nil {
			return err
		}
	}
	if err := csvColumns(c, filepath.Join(data, "topics/ag_news/test.csv"), 1, 2); err != nil {
		return err
	}
	if err := articles(c, filepath.Join(data, "topics/bbc/articles")); err != nil {
		return err
	}
	for _, f := range []string{"msr-para-train.tsv", "msr-para-val.tsv", "msr-para-test.tsv"} {
		if err := sentences(c, filepath.Join(data, "headlines/msrp", f)); err != nil {
			return err
		}
	}
	tokens := make([]string, 0, len(c.df))
	for t, n := range c.df {
		if n > 1 { // a token of one document is as rare as one the table lacks
			tokens = append(tokens, t)
		}
	}
	slices.SortFunc(tokens, func(a, b string) int { return cmp.Or(-cmp.Compare(c.df[a], c.df[b]), strings.Compare(a, b)) })
	tokens = tokens[:min(top, len(tokens))]
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err := text.WriteBackground(zw, c.docs, tokens, c.df); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("%d documents, %d tokens kept of %d, written to %s\n", c.docs, len(tokens), len(c.df), out)
	return nil
}

// feeds counts every entry of every feed under dir that parses.
func feeds(c *counter, dir string) error {
	p := gofeed.NewParser()
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		feed, err := p.Parse(f)
		if err != nil {
			return nil // not a feed, or a broken one: the corpora hold both on purpose
		}
		for _, it := range feed.Items {
			c.add(it.Title, it.Description)
		}
		return nil
	})
}

// csvColumns counts each row of a CSV file with a header as a document
// of its title and text columns.
func csvColumns(c *counter, path string, title, text int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) > max(title, text) {
			c.add(c.agEntities(rec[title]), c.agEntities(strings.ReplaceAll(rec[text], `\`, " ")))
		}
	}
}

// agEntities decodes AG News's entities written without their ampersand
// (" #39;s", "#36;10").
func (c *counter) agEntities(s string) string {
	return html.UnescapeString(c.agEntity.ReplaceAllString(s, "&#$1;"))
}

// articles counts each article file (title line, then paragraphs) as a
// document of its title and first paragraph.
func articles(c *counter, dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		title, body, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		c.add(title, strings.TrimSpace(body))
		return nil
	})
}

// sentences counts each sentence of an MSRP file as a document.
func sentences(c *counter, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) == 5 {
			c.add("", fields[3])
			c.add("", fields[4])
		}
	}
	return sc.Err()
}
