package config

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// opmlOutline is an OPML outline; subscription lists nest them in folders.
type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr"`
	XMLURL   string        `xml:"xmlUrl,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

// importOPML adds the feeds of every file listed under opml: as sources,
// named from their titles (lower-case, '-' for the rest, made unique), so
// a reader's subscriptions can be brought over in one line.
func (c *Config) importOPML() Errors {
	var errs Errors
	taken := map[string]bool{}
	for _, s := range c.Sources {
		taken[s.Name] = true
	}
	for i, path := range c.OPML {
		p := path
		if !filepath.IsAbs(p) {
			p = filepath.Join(c.Dir(), p)
		}
		field := fmt.Sprintf("opml[%d]", i)
		data, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, &Error{Path: field, File: c.file, Line: c.lines[field], Msg: err.Error()})
			continue
		}
		var doc struct {
			Body struct {
				Outlines []opmlOutline `xml:"outline"`
			} `xml:"body"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			errs = append(errs, &Error{Path: field, File: c.file, Line: c.lines[field], Msg: fmt.Sprintf("%s: not OPML: %v", path, err)})
			continue
		}
		var walk func([]opmlOutline)
		walk = func(outs []opmlOutline) {
			for _, o := range outs {
				if o.XMLURL != "" {
					name := uniqueSlug(firstNonEmpty(o.Title, o.Text, o.XMLURL), taken)
					c.Sources = append(c.Sources, Source{Name: name, URL: strings.TrimSpace(o.XMLURL)})
				}
				walk(o.Outlines)
			}
		}
		walk(doc.Body.Outlines)
	}
	return errs
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// uniqueSlug makes a source name of a title: lower-case letters and
// digits, '-' between words, "-2", "-3"... when taken.
func uniqueSlug(title string, taken map[string]bool) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	base := b.String()
	if len(base) > 40 {
		base = strings.TrimRight(base[:40], "-")
	}
	if base == "" {
		base = "feed"
	}
	name := base
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	taken[name] = true
	return name
}
