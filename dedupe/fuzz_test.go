package dedupe

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzCanonical: canonicalising never panics, is idempotent, and an
// https result keeps no fragment.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"https://Example.com/a/?utm_source=x&b=1#f", "http://a.example:80", "mailto:x@y", "%zz", "https://[::1]:443/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		c := Canonical(link)
		if again := Canonical(c); again != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", link, c, again)
		}
		// Links that do not parse as absolute URLs come back as they are
		// (documented); a canonical https URL never keeps a fragment.
		if u, err := url.Parse(c); err == nil && u.Scheme == "https" && u.Host != "" && u.Fragment != "" {
			t.Fatalf("fragment kept: %q -> %q", link, c)
		}
	})
}

// FuzzTokens: headline normalisation never panics, yields valid UTF-8
// tokens without spaces, and a headline is wholly alike itself.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"UPDATE 2-Oil falls 1,000 - Reuters", "LIVE: Ukraine’s “talks” | BBC News", "U.S. and U.N. (blog)", "ﬁ ﬂ Ⅻ ＡＢＣ", ""} {
		f.Add(s)
	}
	x, err := NewIndex(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, headline string) {
		done := make(chan []string, 1)
		go func() { done <- x.Normalizer().Tokens(headline) }()
		var toks []string
		select {
		case toks = <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Tokens(%q) takes more than 2s", headline)
		}
		for _, tok := range toks {
			if tok == "" || !utf8.ValidString(tok) || strings.ContainsAny(tok, " \t\n") {
				t.Fatalf("bad token %q from %q", tok, headline)
			}
		}
		if c := x.CompareHeadlines(headline, headline); len(toks) > 0 && c.Features.Headline < 0.999999 {
			t.Fatalf("self score %v for %q", c.Features.Headline, headline)
		}
	})
}
