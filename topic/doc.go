package topic

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"tributary/news"
)

// fieldBreak separates fields in a Doc so a phrase never spans two of them.
const fieldBreak = "\x00"

// Doc is an item's text prepared once for matching against every topic.
type Doc struct {
	title, summary string
	terms          []weighted // its terms for topics by example, once asked for
	termsDone      bool
	source         string
	author         []string            // the author's words, lower case
	host           string              // the link's host, lower case
	text           string              // title, summary text and categories, one per line
	words          []string            // lower-case tokens in order, fieldBreak between fields
	set            map[string]struct{} // the same tokens, for word and prefix terms
}

// NewDoc prepares the title, the summary (HTML stripped) and the categories
// of it for matching.
func NewDoc(it *news.Item) *Doc {
	fields := append([]string{it.Title, htmlText(it.Summary)}, it.Categories...)
	d := &Doc{title: it.Title, summary: it.Summary, source: it.Source, text: strings.Join(fields, "\n"), set: map[string]struct{}{},
		author: Tokens(it.Author)}
	if u, err := url.Parse(it.Link); err == nil {
		d.host = strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	}
	for i, f := range fields {
		if i > 0 {
			d.words = append(d.words, fieldBreak)
		}
		for _, w := range Tokens(f) {
			d.words = append(d.words, w)
			d.set[w] = struct{}{}
		}
	}
	return d
}

// termsOf returns the item's terms under lex with their weights,
// computed once for every topic.
func (d *Doc) termsOf(lex *Lexicon) []weighted {
	if !d.termsDone {
		for _, t := range lex.terms(d.title, d.summary) {
			d.terms = append(d.terms, weighted{t, lex.bg.Weight(t)})
		}
		d.termsDone = true
	}
	return d.terms
}

func (d *Doc) hasPhrase(p []string) bool {
outer:
	for i := 0; i+len(p) <= len(d.words); i++ {
		for j, w := range p {
			if d.words[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}

// Tokens splits s into lower-case words of letters and digits.
func Tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// htmlText returns the text of an HTML fragment.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		}
	}
}
