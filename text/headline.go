package text

import (
	"strings"
	"unicode"
)

// headlineChars is about how long a headline made from an item's text
// is: a first sentence, cut at a word.
const headlineChars = 80

// Headline returns the title an item is shown by, never empty when
// fallback is not: title, else the first sentence of body (HTML or
// text) cut at a word near 80 characters ("…" when cut) — a Mastodon
// post, an image bot's caption — else fallback.
func Headline(title, body, fallback string) string {
	if t := strings.TrimSpace(title); t != "" {
		return t
	}
	if s := PlainText(body, 4*headlineChars); s != "" {
		return firstSentence(s)
	}
	return fallback
}

// firstSentence returns s up to the end of its first sentence, cut at a
// word before headlineChars with "…" when longer.
func firstSentence(s string) string {
	for i, r := range s {
		if (r == '.' || r == '!' || r == '?') && i > 0 && (i+1 == len(s) || s[i+1] == ' ') {
			s = s[:i+1]
			break
		}
	}
	if len([]rune(s)) <= headlineChars {
		return s
	}
	cut := string([]rune(s)[:headlineChars])
	if i := strings.LastIndexFunc(cut, unicode.IsSpace); i > headlineChars/2 {
		cut = cut[:i]
	}
	return strings.TrimRightFunc(cut, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) }) + "…"
}
