package topic

import (
	"net/url"
	"strings"
	"sync"
	"time"

	"tributary/news"
)

// NoSection is the label of an item its outlet filed under no section of
// ours (an opinion column, a recipe, a podcast): it is filed in no
// section by example.
const NoSection = "none"

// DefaultSectionMap maps what outlets call their sections — RSS and Atom
// category terms, and the words of a link's path (".../business/...") —
// onto the sections of examples/sections.yaml, or NoSection. Written by
// the project; a config's section_map adds to it and overrides it. Keys
// are lower case.
func DefaultSectionMap() map[string]string {
	m := map[string]string{}
	for section, terms := range map[string][]string{
		"world": {"world", "world news", "international", "global", "europe", "asia", "africa", "americas",
			"middle east", "middle-east", "asia pacific", "asia-pacific", "australia news", "uk news", "us news"},
		"politics": {"politics", "us politics", "uk politics", "government", "election", "elections", "congress", "parliament"},
		"business": {"business", "economy", "markets", "money", "finance", "companies", "business news", "economics",
			"personal finance", "industries"},
		"technology":    {"technology", "tech", "science & technology", "gadgets", "internet", "innovation", "technology news"},
		"science":       {"science", "space", "environment", "climate", "science news", "nature"},
		"health":        {"health", "wellness", "health news", "medicine", "coronavirus", "health & wellbeing"},
		"sports":        {"sport", "sports", "football", "soccer", "cricket", "rugby", "rugby union", "rugby league", "tennis", "golf", "nba", "nfl", "mlb", "nhl", "motorsport", "formula 1", "f1", "afl", "nrl", "olympics", "boxing", "racing"},
		"entertainment": {"entertainment", "culture", "arts", "film", "films", "movies", "music", "tv", "television", "tv & radio", "celebrity", "showbiz", "tvshowbiz", "books", "stage", "arts & culture", "entertainment news"},
		NoSection:       {"opinion", "comment", "commentisfree", "editorial", "editorials", "lifestyle", "life and style", "travel", "food", "recipes", "podcast", "podcasts", "fashion", "style", "property", "real estate", "obituaries", "puzzles", "crosswords", "horoscopes", "weather"},
	} {
		for _, t := range terms {
			m[t] = section
		}
	}
	return m
}

// Outlets learns the sections from the items outlets labelled: a
// source's declared section, an item's category terms, a word of its
// link's path, mapped by a section map onto the sections. A labelled
// item is filed under its label; it also teaches each section the terms
// its items use (Learn), which then weigh in the scores of the items that
// come unlabelled. What is learned is bounded (the last maxLearned
// labelled items, forgetting those older than the window) and rebuilt
// from the stored window at start. Safe for concurrent use.
type Outlets struct {
	lex      *Lexicon
	sections map[string]bool   // the sections labels may name
	sources  map[string]string // source -> its declared section
	terms    map[string]string // lower-case category or path word -> section or NoSection
	window   time.Duration

	mu     sync.RWMutex
	ring   []learned // the labelled items learned: count of them, oldest at head, in a ring of maxLearned
	head   int
	count  int
	held   map[string]map[string]int // term -> label -> learned items holding it
	counts map[string]int            // label -> learned items
}

// learned is one labelled item learned.
type learned struct {
	label     string
	terms     []string
	published time.Time
}

// maxLearned bounds what Outlets holds: the newest labelled items.
const maxLearned = 20_000

// minHeld is how many labelled items must hold a term before it says
// anything of a section.
const minHeld = 3

// NewOutlets returns a learner for sections (the topics labels may name),
// with each source's declared section and the section map (default and
// the config's, keys lower case), forgetting what is older than window.
func NewOutlets(lex *Lexicon, sections []string, sources, terms map[string]string, window time.Duration) *Outlets {
	o := &Outlets{lex: lex, sections: map[string]bool{}, sources: sources, terms: terms, window: window,
		held: map[string]map[string]int{}, counts: map[string]int{}}
	for _, s := range sections {
		o.sections[s] = true
	}
	return o
}

// Label returns the section an item's outlet filed it under — its
// source's declared one, else its first mapped category, else the first
// mapped word of its link's path — or "" when the outlet said nothing
// we know; NoSection for a section of none of ours.
func (o *Outlets) Label(it *news.Item) string {
	if o == nil {
		return ""
	}
	if s := o.sources[it.Source]; s != "" {
		return s
	}
	for _, c := range it.Categories {
		if s := o.known(strings.ToLower(strings.TrimSpace(c))); s != "" {
			return s
		}
	}
	link := it.Link
	if link == "" {
		link = it.URL
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(strings.ToLower(u.Path), "/"), "/")
	last := len(segs) - 1
	for i, seg := range segs[:min(len(segs), 4)] {
		parts := strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' })
		if i == last { // the article's own slug says nothing, unless it is a section and an id ("business-53312345")
			if len(parts) < 2 || strings.Trim(parts[len(parts)-1], "0123456789") != "" {
				break
			}
			parts = parts[:len(parts)-1]
		}
		if s := o.known(seg); s != "" {
			return s
		}
		for _, part := range parts {
			if s := o.known(part); s != "" {
				return s
			}
		}
	}
	return ""
}

// known returns the section term names, if it is one of ours or none.
func (o *Outlets) known(term string) string {
	s := o.terms[term]
	if s == NoSection || o.sections[s] {
		return s
	}
	return ""
}

// Learn teaches the sections an item its outlet labelled label.
func (o *Outlets) Learn(it *news.Item, label string) {
	if o == nil || label == "" {
		return
	}
	terms := o.lex.terms(it.Title, it.Summary)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ring == nil {
		o.ring = make([]learned, maxLearned)
	}
	if o.count == maxLearned { // full: the oldest goes
		o.forget(o.ring[o.head])
		o.head = (o.head + 1) % maxLearned
		o.count--
	}
	o.ring[(o.head+o.count)%maxLearned] = learned{label, terms, it.Published}
	o.count++
	o.counts[label]++
	for _, t := range terms {
		if o.held[t] == nil {
			o.held[t] = map[string]int{}
		}
		o.held[t][label]++
	}
	// What left the window goes (the oldest are at the head).
	for o.count > 0 && it.Published.Sub(o.ring[o.head].published) > o.window {
		o.forget(o.ring[o.head])
		o.ring[o.head] = learned{}
		o.head = (o.head + 1) % maxLearned
		o.count--
	}
}

// forget takes a learned item back.
func (o *Outlets) forget(l learned) {
	if l.label == "" {
		return
	}
	o.counts[l.label]--
	for _, t := range l.terms {
		if o.held[t][l.label]--; o.held[t][l.label] == 0 {
			delete(o.held[t], l.label)
			if len(o.held[t]) == 0 {
				delete(o.held, t)
			}
		}
	}
}

// weight returns how much term t says of section s from what was
// learned: the share of the labelled items holding it that were the
// section's, discounted while few hold it; 0 below minHeld.
func (o *Outlets) weight(t, s string) float64 {
	o.mu.RLock()
	defer o.mu.RUnlock()
	byLabel := o.held[t]
	n := 0
	for _, c := range byLabel {
		n += c
	}
	if n < minHeld {
		return 0
	}
	return float64(byLabel[s]) / float64(n+minHeld)
}

// Learned returns how many labelled items each section (and NoSection)
// has learned from.
func (o *Outlets) Learned() map[string]int {
	out := map[string]int{}
	if o == nil {
		return out
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	for l, n := range o.counts {
		if n > 0 {
			out[l] = n
		}
	}
	return out
}

// LearnWindow is how long what outlets labelled teaches the sections: a
// week of news, so a section follows what its outlets publish now.
const LearnWindow = 7 * 24 * time.Hour

// LearnFrom has the set's topics by example learn from o (see Outlets),
// and returns the set.
func (s Set) LearnFrom(o *Outlets) Set {
	for _, t := range s {
		if t.profile != nil {
			t.outlets = o
		}
	}
	return s
}

// Outlets returns what the set learns from, or nil.
func (s Set) Outlets() *Outlets {
	for _, t := range s {
		if t.outlets != nil {
			return t.outlets
		}
	}
	return nil
}

// Sections returns the names of the set's topics by example: the
// sections labels may name.
func (s Set) Sections() []string {
	var out []string
	for _, t := range s {
		if t.profile != nil {
			out = append(out, t.Name)
		}
	}
	return out
}
