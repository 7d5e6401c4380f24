package topic

import (
	"errors"
	"fmt"
	"sort"

	"tributary/news"
)

// Rules are a topic's rules as the user writes them.
type Rules struct {
	Any     []string // at least one must match (when set)
	All     []string // every one must match
	None    []string // none may match
	Sources []string // only items of these sources (when set)
}

// ErrNoRules is returned for a topic that would match nothing in particular.
var ErrNoRules = errors.New("topic: no rules: set any, all or sources")

// Topic is a compiled set of rules.
type Topic struct {
	Name, Title    string
	any, all, none []Term
	sources        map[string]bool
}

// New compiles rules. The error names the first bad term by list and index.
func New(name, title string, r Rules) (*Topic, error) {
	if len(r.Any) == 0 && len(r.All) == 0 && len(r.Sources) == 0 {
		return nil, ErrNoRules
	}
	t := &Topic{Name: name, Title: title}
	if t.Title == "" {
		t.Title = name
	}
	lists := []struct {
		name string
		src  []string
		dst  *[]Term
	}{{"any", r.Any, &t.any}, {"all", r.All, &t.all}, {"none", r.None, &t.none}}
	for _, l := range lists {
		for i, s := range l.src {
			term, err := ParseTerm(s)
			if err != nil {
				return nil, fmt.Errorf("%s[%d]: %w", l.name, i, err)
			}
			*l.dst = append(*l.dst, term)
		}
	}
	if len(r.Sources) > 0 {
		t.sources = map[string]bool{}
		for _, s := range r.Sources {
			t.sources[s] = true
		}
	}
	return t, nil
}

// Match reports whether the prepared item d belongs to the topic.
func (t *Topic) Match(d *Doc) bool {
	if t.sources != nil && !t.sources[d.source] {
		return false
	}
	for _, term := range t.none {
		if term.match(d) {
			return false
		}
	}
	for _, term := range t.all {
		if !term.match(d) {
			return false
		}
	}
	if len(t.any) == 0 {
		return true
	}
	for _, term := range t.any {
		if term.match(d) {
			return true
		}
	}
	return false
}

// Set is every configured topic.
type Set []*Topic

// Match returns the names of the topics it belongs to, sorted. The
// catch-all topic is implied and not listed.
func (s Set) Match(it *news.Item) []string {
	if len(s) == 0 {
		return nil
	}
	d := NewDoc(it)
	var names []string
	for _, t := range s {
		if t.Match(d) {
			names = append(names, t.Name)
		}
	}
	sort.Strings(names)
	return names
}
