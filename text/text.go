package text

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// summaryChars is how much of a summary TextTokens reads: its first
// sentence or two, where outlets name who, where and how many.
const summaryChars = 300

// PlainText returns the text of an HTML fragment (or of plain text):
// tags dropped, entities decoded, white space collapsed, cut at a word
// boundary to at most max bytes.
func PlainText(s string, max int) string {
	var b strings.Builder
	b.Grow(min(len(s), max+8))
	space := true
	for i := 0; i < len(s) && b.Len() < max; {
		c := s[i]
		switch {
		case c == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				i = len(s)
				continue
			}
			i += end + 1
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f':
			if !space {
				b.WriteByte(' ')
				space = true
			}
		default:
			b.WriteByte(c)
			space = false
		}
		i++
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = strings.Join(strings.Fields(html.UnescapeString(out)), " ")
	}
	if len(out) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut]
		if sp := strings.LastIndexByte(out, ' '); sp > max/2 {
			out = out[:sp] // a word cut in two is a word that is not there
		}
	}
	return strings.TrimSpace(out)
}

// TextTokens returns the distinct comparison tokens of running text (a
// summary), normalised as headlines are but for the headline affixes:
// its first summaryChars bytes of text, folded, stop words dropped,
// stemmed. entity reports, for each token, whether the text names it with
// a capital letter in mid-sentence: a person, a place, an organisation.
func (n *Normalizer) TextTokens(text string) (tokens []string, entity []bool) {
	return n.RunningText(text, summaryChars)
}

// RunningText is TextTokens over the first maxChars bytes of the text.
// Links, hashtags and handles (dropLinks) and the words of dates (IsDate)
// are left out: they say who published a text, and when, not what it
// reports.
func (n *Normalizer) RunningText(text string, maxChars int) (tokens []string, entity []bool) {
	text = dropLinks(PlainText(text, maxChars))
	if text == "" {
		return nil, nil
	}
	named := entities(text)
	if mayHaveAcronym(text) {
		for _, a := range n.acronyms {
			text = a.re.ReplaceAllString(text, a.token)
		}
	}
	eachWordOf(n.replacePhrases(Fold(text)), func(w string) {
		if IsDate(w) {
			return
		}
		t, ok := n.Token(w)
		if !ok || slices.Contains(tokens, t) {
			return
		}
		tokens = append(tokens, t)
		entity = append(entity, named[w])
	})
	return tokens, entity
}

// dropLinks removes the words of plain text that are addresses, hashtags
// or handles ("https://bit.ly/x", "www.x.com", "#News", "@desk"): a
// channel's links and tags say who published an item, not what it
// reports.
func dropLinks(text string) string {
	if !strings.ContainsAny(text, "/#@") && !strings.Contains(text, "www.") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for w := range strings.FieldsSeq(text) {
		if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") || strings.Contains(w, ".ly/") || strings.Contains(w, ".com/") ||
			(len(w) > 1 && (w[0] == '#' || w[0] == '@')) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// entities returns the folded words of text written with a capital
// letter in mid-sentence (not after . ! ? or a colon, nor first).
func entities(text string) map[string]bool {
	named := map[string]bool{}
	start := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			if r == '.' || r == '!' || r == '?' || r == ':' || r == '"' {
				start = true
			}
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) {
				break
			}
			j += s2
		}
		if unicode.IsUpper(r) && !start && j-i > 1 {
			named[Fold(text[i:j])] = true
		}
		start = false
		i = j
	}
	return named
}
