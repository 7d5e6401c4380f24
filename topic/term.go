// Package topic files items under the topics whose rules they match. A rule
// is a list of terms: a word (whole word, any case), a quoted phrase, a
// prefix ending in '*', or a /regular expression/. Matching is a pure
// function of the item's text; nothing here does I/O.
package topic

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

type termKind int

const (
	wordTerm termKind = iota
	prefixTerm
	phraseTerm
	regexpTerm
	authorTerm // author:NAME
	siteTerm   // site:example.com
)

// Term is one parsed rule term.
type Term struct {
	raw   string
	kind  termKind
	words []string // lower-case tokens; one for word and prefix terms
	re    *regexp.Regexp
}

// ErrEmptyTerm is returned for a term with nothing to match.
var ErrEmptyTerm = errors.New("topic: empty term")

// ParseTerm parses one term:
//
//	ukraine          the whole word, in any case
//	"peace talks"    these words in a row
//	zelensk*         any word that starts with "zelensk"
//	/\bputin\b/      a regular expression (RE2), case-insensitive unless it says (?-i)
//	author:NAME      the item's author names these words, in a row, any case
//	site:example.com the item's link is on this host or under it (www.example.com)
func ParseTerm(s string) (Term, error) {
	t := Term{raw: s}
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "author:"):
		t.kind, t.words = authorTerm, Tokens(strings.TrimPrefix(s, "author:"))
	case strings.HasPrefix(s, "site:"):
		host := strings.Trim(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "site:"))), ".")
		if host == "" || strings.ContainsAny(host, "/: ") {
			return t, fmt.Errorf("bad site %q: want a host name such as site:example.com", s)
		}
		t.kind, t.words = siteTerm, []string{host}
	case len(s) >= 2 && s[0] == '/' && s[len(s)-1] == '/':
		re, err := regexp.Compile("(?i)" + s[1:len(s)-1])
		if err != nil {
			return t, fmt.Errorf("bad regexp %s: %w", s, unwrapRE(err))
		}
		t.kind, t.re = regexpTerm, re
		return t, nil
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		t.kind, t.words = phraseTerm, Tokens(s[1:len(s)-1])
	case strings.HasSuffix(s, "*"):
		t.kind, t.words = prefixTerm, Tokens(strings.TrimSuffix(s, "*"))
		if len(t.words) > 1 {
			return t, fmt.Errorf("bad prefix %q: a prefix is one word", s)
		}
	default:
		t.words = Tokens(s)
		if len(t.words) > 1 { // "covid-19" reads as the phrase "covid 19"
			t.kind = phraseTerm
		}
	}
	if len(t.words) == 0 {
		return t, fmt.Errorf("%w %q: no letters or digits to match", ErrEmptyTerm, s)
	}
	return t, nil
}

func unwrapRE(err error) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Errorf("%s: %s", se.Code, strings.TrimPrefix(se.Expr, "(?i)"))
	}
	return err
}

// String returns the term as written in the config.
func (t Term) String() string { return t.raw }

// match reports whether the term occurs in d.
func (t Term) match(d *Doc) bool {
	switch t.kind {
	case wordTerm:
		_, ok := d.set[t.words[0]]
		return ok
	case prefixTerm:
		for w := range d.set {
			if strings.HasPrefix(w, t.words[0]) {
				return true
			}
		}
		return false
	case phraseTerm:
		return d.hasPhrase(t.words)
	case authorTerm:
		return containsRun(d.author, t.words)
	case siteTerm:
		return d.host == t.words[0] || strings.HasSuffix(d.host, "."+t.words[0])
	default:
		return t.re.MatchString(d.text)
	}
}

// containsRun reports whether words holds run, in a row.
func containsRun(words, run []string) bool {
outer:
	for i := 0; i+len(run) <= len(words); i++ {
		for j, w := range run {
			if words[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}
