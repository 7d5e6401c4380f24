package text

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Built-in headline boilerplate, matched case-insensitively on the folded
// headline. Publisher names sit at either end ("Reuters: ...",
// "... - Reuters", "... | BBC News"); wire and live-blog markers at the
// start ("LIVE:", "VIDEO:", "UPDATE 2-"); update counters and format tags
// at the end ("-- 2nd Update", " (blog)").
const (
	wirePrefix = `^(?:reuters|ap|afp|upi|dpa|ani|pti|ians|xinhua|bloomberg|bbc|cnn|cnbc|ft)\s*[:|-]\s+`
	tagPrefix  = `^(?:(?:live|video|watch|breaking|exclusive|analysis|opinion|explainer|factbox|timeline|podcast|photos?|in pictures|corrected|refile|rpt|update(?:\s*\d+)?|updated)\s*(?:[:|]\s*|-\s*)|update\s*\d+\s*-)`
	// A trailing " - X" or " | X" whose X names a publisher: a known wire,
	// a word such as News or Times, or a domain.
	publisherSuffix = `\s+[-|:]\s+(?:[^-|:]{0,40}\b(?:news|times|post|journal|herald|guardian|reuters|bbc|cnn|cnbc|telegraph|tribune|daily|magazine|gazette|mail|express|independent|observer|chronicle|wire|press|radio|tv|network|review|today|blog|insider|bloomberg|forbes|wired|verge|al jazeera|associated press|ap|afp|npr|abc|nbc|cbs|fox|sky|dw|france ?24|euronews)|[^-|:\s]+\.(?:com|org|net|co\.uk|co|io|news|info))\s*$`
	updateSuffix    = `\s*(?:--|-|\|)\s*(?:\d+(?:st|nd|rd|th)\s+update|update\s*\d*|updated)\s*$`
	tagSuffix       = `\s*[(\[](?:blog|video|videos|photos?|audio|live|watch|update\s*\d*|updated|opinion|analysis|podcast|\+ ?video)[)\]]\s*$`
)

// Normalizer turns headlines into the tokens that are compared: folded,
// stripped of publisher boilerplate, without stop words, stemmed.
type Normalizer struct {
	affixes  []affix
	acronyms []acronym
	phrases  []phrase

	// Stems of words seen, since stemming is the costliest step and news
	// repeats its words; emptied when it reaches maxStems.
	mu    sync.Mutex
	stems map[string]string
}

const maxStems = 200_000

// affix is a boilerplate pattern and a cheap test of whether it can match
// at all, so most headlines never run most patterns.
type affix struct {
	re    *regexp.Regexp
	maybe func(folded string) bool
}

func always(string) bool { return true }

// NewNormalizer returns a normalizer with the built-in affix patterns
// and extra, each a regular expression written /like this/ (or bare) and
// matched case-insensitively against the folded headline; what matches is
// removed.
func NewNormalizer(extra []string) (*Normalizer, error) {
	n := &Normalizer{acronyms: acronyms(), phrases: phrases()}
	builtin := []struct {
		pattern string
		maybe   func(string) bool
	}{
		{wirePrefix, func(s string) bool { return strings.ContainsAny(s[:min(len(s), 12)], ":|-") }},
		{tagPrefix, func(s string) bool { return strings.ContainsAny(s[:min(len(s), 20)], ":|-") }},
		{publisherSuffix, func(s string) bool {
			return strings.Contains(s, " - ") || strings.Contains(s, " | ") || strings.Contains(s, " : ")
		}},
		{updateSuffix, func(s string) bool { return strings.Contains(s, "update") }},
		{tagSuffix, func(s string) bool { return strings.HasSuffix(s, ")") || strings.HasSuffix(s, "]") }},
	}
	for _, b := range builtin {
		n.affixes = append(n.affixes, affix{regexp.MustCompile("(?i)" + b.pattern), b.maybe})
	}
	for i, p := range extra {
		re, err := CompileAffix(p)
		if err != nil {
			return nil, fmt.Errorf("dedupe: strip[%d]: %w", i, err)
		}
		n.affixes = append(n.affixes, affix{re, always})
	}
	return n, nil
}

// CompileAffix compiles one user affix pattern: /regexp/ or a bare
// regular expression, case-insensitive.
func CompileAffix(p string) (*regexp.Regexp, error) {
	if len(p) >= 2 && p[0] == '/' && p[len(p)-1] == '/' {
		p = p[1 : len(p)-1]
	}
	if strings.TrimSpace(p) == "" {
		return nil, fmt.Errorf("empty pattern")
	}
	return regexp.Compile("(?i)" + p)
}

// foldMap maps typographic punctuation to ASCII.
func foldRune(r rune) rune {
	switch r {
	case '‘', '’', '‚', '‛', '′', '`', '´':
		return '\''
	case '“', '”', '„', '‟', '″', '«', '»':
		return '"'
	case '‐', '‑', '‒', '–', '—', '―', '−', '⁃':
		return '-'
	case '\u00a0', '\u2007', '\u202f', '\u2009', '\u200a':
		return ' '
	}
	return r
}

// Fold returns s with HTML entities decoded, Unicode compatibility forms
// folded (NFKC), typographic quotes and dashes made ASCII, accents removed,
// lower case, and runs of white space collapsed.
func Fold(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	if isASCII(s) { // most headlines: one pass, no copy when already folded
		return foldASCII(s)
	}
	s = norm.NFKC.String(s)
	s = strings.Map(foldRune, s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, s); err == nil {
		s = out
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// foldASCII lower-cases an ASCII string and collapses its runs of white
// space to one space, trimming both ends: what strings.Fields and Join
// would do, without their copies.
func foldASCII(s string) string {
	folded := true // s is lower case and singly spaced already
	space := true  // the previous byte was white space, or s begins
	for i := 0; i < len(s) && folded; i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', isSpaceASCII(c) && (space || c != ' ' || i == len(s)-1):
			folded = false
		}
		space = isSpaceASCII(c)
	}
	if folded {
		return s
	}
	b := make([]byte, 0, len(s))
	space = true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSpaceASCII(c) {
			space = true
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// isSpaceASCII is unicode.IsSpace for ASCII bytes.
func isSpaceASCII(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Strip removes publisher affixes and boilerplate from a folded headline,
// repeatedly, as long as something is left.
func (n *Normalizer) Strip(folded string) string {
	for changed := true; changed; {
		changed = false
		for _, a := range n.affixes {
			if !a.maybe(folded) {
				continue
			}
			out := strings.TrimSpace(a.re.ReplaceAllString(folded, ""))
			if out != folded && out != "" {
				folded, changed = out, true
			}
		}
	}
	return folded
}

// Tokens returns the distinct comparison tokens of a headline, in order:
// folded, affixes stripped, split into words and numbers ("1,000" stays
// one number, possessive 's dropped), stop words removed, stemmed
// (Snowball English).
func (n *Normalizer) Tokens(headline string) []string {
	out := []string{}
	n.EachWord(headline, func(w string) {
		if t, ok := n.Token(w); ok && !slices.Contains(out, t) {
			out = append(out, t)
		}
	})
	return out
}

// Words returns the words of a headline, before stop words are dropped
// and the rest stemmed: what Index.AddWords takes. Words may repeat.
func (n *Normalizer) Words(headline string) []string {
	var out []string
	n.EachWord(headline, func(w string) { out = append(out, w) })
	return out
}

// EachWord calls fn with each word of the headline, in order: folded,
// affixes stripped, split on what is neither letter nor digit, and on
// apostrophes, commas and dots outside numbers. A word may be empty.
func (n *Normalizer) EachWord(headline string, fn func(word string)) {
	if mayHaveAcronym(headline) {
		for _, a := range n.acronyms {
			headline = a.re.ReplaceAllString(headline, a.token)
		}
	}
	eachWordOf(n.replacePhrases(n.Strip(Fold(headline))), fn)
}

// eachWordOf calls fn with each word of folded text s.
func eachWordOf(s string, fn func(word string)) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !inWord(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !inWord(r) {
				break
			}
			j += size
		}
		if w := s[i:j]; strings.ContainsAny(w, "',.") {
			for _, part := range splitWord(w) {
				fn(part)
			}
		} else {
			fn(w)
		}
		i = j
	}
}

// inWord reports whether r belongs to a word: letters, digits, and the
// apostrophes, commas and dots that splitWord sorts out.
func inWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || r == '\'' || r == ',' || r == '.'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Token returns a word's comparison token: a number as it is, a number
// word as digits, a demonym as its country, a synonym as the word it
// stands for, stemmed, else its stem; false for a stop word or a single
// letter.
func (n *Normalizer) Token(w string) (string, bool) {
	if IsNumber(w) {
		return w, true
	}
	if d, ok := numberWord(w); ok {
		return d, true
	}
	if c, ok := demonym(w); ok {
		return n.stem(c), true // as the country's own name is: "Ukrainian" and "Ukraine" meet
	}
	if s, ok := synonym(w); ok {
		w = s
	}
	if len(w) < 2 || (english.IsStopWord(w) && w != "un") {
		return "", false
	}
	return n.stem(w), true
}

func (n *Normalizer) stem(w string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if s, ok := n.stems[w]; ok {
		return s
	}
	if n.stems == nil || len(n.stems) >= maxStems {
		n.stems = make(map[string]string, 1024)
	}
	s := english.Stem(w, true)
	n.stems[strings.Clone(w)] = s
	return s
}

// splitWord splits a field on apostrophes, commas and dots, except inside
// numbers ("1,000", "3.5"), and drops a possessive "'s".
func splitWord(w string) []string {
	w = strings.TrimSuffix(w, "'s")
	var parts []string
	start := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c != '\'' && c != ',' && c != '.' {
			continue
		}
		if (c == ',' || c == '.') && i > 0 && i+1 < len(w) && isDigit(w[i-1]) && isDigit(w[i+1]) {
			if c == ',' { // thousands separator: drop it
				w = w[:i] + w[i+1:]
				i--
			}
			continue
		}
		parts = append(parts, w[start:i])
		start = i + 1
	}
	return append(parts, w[start:])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func IsNumber(s string) bool {
	if s == "" || !isDigit(s[0]) {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return true
}

// dateWords are the folded words that write a date: months (and their
// short forms), weekdays, and the marks of a time of day.
var dateWords = map[string]bool{
	"january": true, "february": true, "march": true, "may": true, "april": true, "june": true, "july": true, "august": true,
	"september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"am": true, "pm": true, "gmt": true, "utc": true, "bst": true, "et": true, "edt": true, "est": true,
}

// IsDate reports whether a folded word only says when: a month, a
// weekday, a year from 1900 to 2099, a time's "am" or "pm". ("may" is a
// month and a verb: neither tells one event from another.)
func IsDate(w string) bool {
	if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) && IsNumber(w) {
		return true
	}
	return dateWords[w]
}
