package feed

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Limits on a document's shape, checked before it is parsed. Real feeds
// nest a few levels (XHTML content perhaps twenty) and give an element a
// handful of attributes; a document beyond these is an attack or broken.
const (
	maxDepth = 128  // open elements (XML) or arrays and objects (JSON)
	maxAttrs = 1000 // attributes of one XML element
	// maxText is the most of one XML text run or CDATA section kept:
	// enough for maxHTML of HTML even when its tags are escaped (&lt;p&gt;),
	// while a parser copies a megabytes-long text several times over.
	maxText = 4 * maxHTML
)

// ErrShape is a document too deeply nested or with an absurd element.
var ErrShape = errors.New("feed: document shape refused")

// bound checks a feed document's shape and cuts it after maxItems
// entries, before any parser builds it: parsing then costs memory in
// proportion to what is kept, not to what an upstream sent. It walks the
// bytes once without allocating (encoding/xml would allocate every token
// and attribute, the very cost it is here to avoid) and rewrites the body
// in place. A document it cannot follow is returned as it is, for the
// parser to report.
func bound(body []byte, maxItems int) ([]byte, error) {
	start := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(start) == 0 {
		return body, nil
	}
	if start[0] == '{' {
		return boundJSON(body, maxItems)
	}
	return boundXML(body, maxItems)
}

// boundXML refuses nesting deeper than maxDepth and elements with more
// than maxAttrs attributes, cuts each text run and CDATA section after
// maxText bytes, and cuts the document before its (maxItems+1)-th item or
// entry, closing the elements still open.
func boundXML(b []byte, maxItems int) ([]byte, error) {
	var open [maxDepth][]byte // names of the open elements, slices of b
	var drops []span          // text beyond maxText, to drop
	depth := 0
	itemDepth, items := -1, 0
	text := 0 // where the current text run began
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return compact(b, drops, len(b), nil), nil
		}
		if j > maxText {
			drops = append(drops, span{textCut(b, text, i+j), i + j})
		}
		i += j
		rest := b[i:]
		var skip int
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			skip = after(rest, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			skip = after(rest, "]]>")
			if inner := skip - len("<![CDATA[]]>"); skip > 0 && inner > maxText {
				from := i + len("<![CDATA[")
				drops = append(drops, span{textCut(b, from, from+inner), from + inner})
			}
		case bytes.HasPrefix(rest, []byte("<?")):
			skip = after(rest, "?>")
		case bytes.HasPrefix(rest, []byte("<!")):
			skip = declarationEnd(rest)
		case bytes.HasPrefix(rest, []byte("</")):
			skip = after(rest, ">")
			if depth > 0 {
				depth--
			}
		default:
			end, attrs, selfClosing := tagEnd(rest)
			if end < 0 {
				return compact(b, drops, len(b), nil), nil
			}
			if attrs > maxAttrs {
				return nil, fmt.Errorf("%w: an element with more than %d attributes", ErrShape, maxAttrs)
			}
			name := tagName(rest)
			if isEntry(name) {
				if itemDepth < 0 {
					itemDepth = depth
				}
				if depth == itemDepth {
					if items == maxItems {
						return compact(b, drops, i, closing(open[:depth])), nil
					}
					items++
				}
			}
			if !selfClosing {
				if depth == maxDepth {
					return nil, fmt.Errorf("%w: elements nested more than %d deep", ErrShape, maxDepth)
				}
				open[depth] = name
				depth++
			}
			skip = end
		}
		if skip < 0 {
			return compact(b, drops, len(b), nil), nil
		}
		i += skip
		text = i
	}
}

// span is a range [from, to) of a document.
type span struct{ from, to int }

// textCut is where a text run from..to longer than maxText is cut: after
// maxText bytes, moved back so that no character reference (&amp;) or
// UTF-8 sequence is split.
func textCut(b []byte, from, to int) int {
	cut := from + maxText
	for cut > from && !utf8.RuneStart(b[cut]) {
		cut--
	}
	if amp := bytes.LastIndexByte(b[max(from, cut-12):cut], '&'); amp >= 0 {
		amp += max(from, cut-12)
		if bytes.IndexByte(b[amp:cut], ';') < 0 {
			cut = amp
		}
	}
	return min(cut, to)
}

// compact keeps b[:end] but the drops (in order, within it), then
// appends tail, in b's own memory.
func compact(b []byte, drops []span, end int, tail []byte) []byte {
	w, r := 0, 0
	for _, d := range drops {
		w += copy(b[w:], b[r:d.from])
		r = d.to
	}
	w += copy(b[w:], b[r:end])
	return append(b[:w], tail...)
}

// closing returns the end tags of the open elements, innermost first.
func closing(open [][]byte) []byte {
	var out []byte
	for k := len(open) - 1; k >= 0; k-- {
		out = append(out, "</"...)
		out = append(out, open[k]...)
		out = append(out, '>')
	}
	return out
}

// after returns the length of rest up to and including the first end,
// or -1.
func after(rest []byte, end string) int {
	k := bytes.Index(rest, []byte(end))
	if k < 0 {
		return -1
	}
	return k + len(end)
}

// declarationEnd finds the end of <!DOCTYPE ...>, whose internal subset
// in brackets may hold '>'.
func declarationEnd(rest []byte) int {
	brackets := 0
	for k, c := range rest {
		switch c {
		case '[':
			brackets++
		case ']':
			brackets--
		case '>':
			if brackets <= 0 {
				return k + 1
			}
		}
	}
	return -1
}

// tagEnd scans a start tag: its length, how many attributes it has and
// whether it closes itself. Quoted values may hold '>'.
func tagEnd(rest []byte) (end, attrs int, selfClosing bool) {
	var quote byte
	for k := 1; k < len(rest); k++ {
		c := rest[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			attrs++
		case c == '>':
			return k + 1, attrs, rest[k-1] == '/'
		}
	}
	return -1, attrs, false
}

// tagName is the name of the element whose start tag begins rest.
func tagName(rest []byte) []byte {
	k := 1
	for k < len(rest) && !isSpace(rest[k]) && rest[k] != '>' && rest[k] != '/' {
		k++
	}
	return rest[1:k]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isEntry reports whether an element name is a feed entry: RSS item or
// Atom entry, with any namespace prefix.
func isEntry(name []byte) bool {
	if k := bytes.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return string(name) == "item" || string(name) == "entry"
}

// boundJSON refuses nesting deeper than maxDepth and removes the elements
// of the top-level "items" array after the first maxItems.
func boundJSON(b []byte, maxItems int) ([]byte, error) {
	depth := 0
	inItems := false // inside the top-level items array
	items := 0       // elements of it begun
	cut := -1        // where the elements past maxItems begin (at a comma)
	lastKey := []byte(nil)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			end := stringEnd(b, i)
			if end < 0 {
				return b, nil
			}
			if depth == 1 {
				lastKey = b[i+1 : end]
			}
			if inItems && depth == 2 && items == 0 {
				items = 1
			}
			i = end
		case '{', '[':
			if inItems && depth == 2 && items == 0 {
				items = 1
			}
			depth++
			if depth > maxDepth {
				return nil, fmt.Errorf("%w: arrays and objects nested more than %d deep", ErrShape, maxDepth)
			}
			if c == '[' && depth == 2 && string(lastKey) == "items" {
				inItems, items = true, 0
			}
		case '}', ']':
			if inItems && depth == 2 && c == ']' {
				inItems = false
				if cut >= 0 { // drop the elements past maxItems, keep the rest
					b = append(b[:cut], b[i:]...)
					i = cut
					cut = -1
				}
			}
			depth--
		case ',':
			if inItems && depth == 2 {
				if items == maxItems && cut < 0 {
					cut = i
				}
				items++
			}
		default:
			if inItems && depth == 2 && items == 0 && !isSpace(c) {
				items = 1 // a number, true, false or null
			}
		}
	}
	return b, nil
}

// stringEnd returns the index of the quote closing the JSON string that
// opens at b[i], or -1.
func stringEnd(b []byte, i int) int {
	for k := i + 1; k < len(b); k++ {
		switch b[k] {
		case '\\':
			k++
		case '"':
			return k
		}
	}
	return -1
}
