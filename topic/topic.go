package topic

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"tributary/news"
)

// Rules are a topic's rules as the user writes them.
type Rules struct {
	Any     []string // at least one must match (when set)
	All     []string // every one must match
	None    []string // none may match
	Sources []string // only items of these sources (when set)

	// Like are example headlines or short phrases: an item whose terms
	// are enough of theirs and the keywords' (MinScore) joins the topic
	// even when no rule matches. Needs a Lexicon.
	Like     []string
	MinScore float64 // default DefaultMinScore
	// MinConfidence is the confidence (Confidence) an item joining by
	// example must reach; default the calibration's threshold.
	MinConfidence float64
	// Exclusive names a group of topics: an item joins only the
	// best-scoring topic of its group.
	Exclusive string
}

// ErrNoRules is returned for a topic that would match nothing in particular.
var ErrNoRules = errors.New("topic: no rules: set any, all, like or sources")

// Topic is a compiled set of rules.
type Topic struct {
	Name, Title    string
	any, all, none []Term
	sources        map[string]bool
	lex            *Lexicon
	profile        profile // nil without examples
	minScore       float64
	minConfidence  float64 // 0: the lexicon's calibration's
	exclusive      string
	outlets        *Outlets // what the outlets taught the sections; nil for none
}

// New compiles rules. The error names the first bad term by list and
// index. lex weighs examples (Rules.Like); a topic without examples
// needs none.
func New(name, title string, r Rules, lex *Lexicon) (*Topic, error) {
	if len(r.Any) == 0 && len(r.All) == 0 && len(r.Sources) == 0 && len(r.Like) == 0 {
		return nil, ErrNoRules
	}
	t := &Topic{Name: name, Title: title, minScore: r.MinScore, minConfidence: r.MinConfidence, exclusive: r.Exclusive}
	if t.Title == "" {
		t.Title = name
	}
	if t.minScore <= 0 {
		t.minScore = DefaultMinScore
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
	if len(r.Like) > 0 {
		if lex == nil {
			return nil, errors.New("topic: like: examples need a lexicon")
		}
		t.lex = lex
		t.profile = lex.newProfile(r.Like, append(slices.Clone(t.any), t.all...))
	}
	return t, nil
}

// Decision is whether an item is in a topic, and why.
type Decision struct {
	Topic    string
	In       bool
	Rule     string // the rule that put it in ("any: ukraine"); "" when none did
	Excluded string // the none term, or "sources", that kept it out
	Scored          // its score by example, and the terms that made it
	MinScore float64
	ByScore  bool   // the topic has examples
	LostTo   string // another topic of its exclusive group that scored higher
	// Confidence is the probability (Confidence) that the topic is right
	// for an item in it by score alone; Unsure is set when it scored
	// enough but fell short of MinConfidence, and so is not in.
	Confidence    float64
	MinConfidence float64
	Unsure        bool
	Evidence      Evidence // what Confidence read
	// Outlet is the section the item's outlet filed it under (Outlets.Label)
	// when that decided: it is in the topic the outlet named, and in no
	// other of its group by example.
	Outlet string
}

// Decide says whether the prepared item d belongs to the topic, and why.
func (t *Topic) Decide(d *Doc) Decision { return t.decide(d, true) }

// decide is Decide; without item, it scores a story's text only (by
// example), leaving the sources, none terms and rules, which hold of each
// item alone, to the items (Set.MatchStory).
func (t *Topic) decide(d *Doc, item bool) Decision {
	dec := Decision{Topic: t.Name, MinScore: t.minScore, ByScore: t.profile != nil}
	if item && t.sources != nil && !t.sources[d.source] {
		dec.Excluded = "sources"
		return dec
	}
	for _, term := range t.none {
		if item && term.match(d) {
			dec.Excluded = "none: " + term.raw
			return dec
		}
	}
	if t.profile != nil {
		dec.Scored = t.lex.score(d.termsOf(t.lex), t.profile, t.learned())
	}
	if rule, ok := t.ruleMatch(d); item && ok {
		dec.In, dec.Rule = true, rule
	}
	if t.profile != nil && dec.Score >= t.minScore {
		dec.In = true
	}
	return dec
}

// learned returns how much each term says of the topic from what the
// outlets taught it (Outlets.weight), or nil.
func (t *Topic) learned() func(term string) float64 {
	if t.outlets == nil {
		return nil
	}
	return func(term string) float64 { return t.outlets.weight(term, t.Name) }
}

// confident sets how sure a decision in the topic by score alone is,
// given the best score of another topic of its exclusive group, and takes
// the item out when it is not sure enough.
func (t *Topic) confident(dec *Decision, rival float64) {
	if !dec.In || dec.Rule != "" || !dec.ByScore {
		return
	}
	dec.Evidence = Evidence{Score: dec.Score, Margin: dec.Score - rival, Weight: dec.Weight, Terms: len(dec.Terms)}
	c := t.lex.conf
	if c == nil {
		dec.Confidence = 1
		return
	}
	dec.MinConfidence = t.minConfidence
	if dec.MinConfidence <= 0 {
		dec.MinConfidence = c.Threshold
	}
	dec.Confidence = c.Prob(dec.Evidence)
	if dec.Confidence < dec.MinConfidence {
		dec.In, dec.Unsure = false, true
	}
}

// ruleMatch reports whether the item matches the topic's any and all
// terms, and which: a topic of sources only matches every item of them;
// one of examples only matches by score, never by rule.
func (t *Topic) ruleMatch(d *Doc) (string, bool) {
	if len(t.any) == 0 && len(t.all) == 0 {
		return "sources", t.sources != nil && t.profile == nil
	}
	for _, term := range t.all {
		if !term.match(d) {
			return "", false
		}
	}
	if len(t.any) == 0 {
		return "all", true
	}
	for _, term := range t.any {
		if term.match(d) {
			return "any: " + term.raw, true
		}
	}
	return "", false
}

// Match reports whether the prepared item d belongs to the topic, on its
// own (Set.Match also applies exclusive groups and confidence).
func (t *Topic) Match(d *Doc) bool { return t.Decide(d).In }

// Set is every configured topic.
type Set []*Topic

// Match returns the names of the topics it belongs to, sorted. The
// catch-all topic is implied and not listed.
func (s Set) Match(it *news.Item) []string {
	if len(s) == 0 {
		return nil
	}
	var names []string
	for _, d := range s.Decide(it) {
		if d.In {
			names = append(names, d.Topic)
		}
	}
	sort.Strings(names)
	return names
}

// Decide returns each topic's decision on the item, in the set's order.
// Of the topics of one exclusive group the item is in, it stays only in
// the best-scoring one (ties: one a rule matched, then the first listed).
//
// An item its outlet labelled (Outlets.Label) is in the section named,
// and in no other topic of that section's group by example; labelled
// NoSection, in none of the sections by example.
func (s Set) Decide(it *news.Item) []Decision { return s.decide(it, true) }

// decide is Decide; without item, it decides a story's text by example
// only (Topic.decide), with no outlet's label.
func (s Set) decide(it *news.Item, item bool) []Decision {
	d := NewDoc(it)
	out := make([]Decision, len(s))
	for i, t := range s {
		out[i] = t.decide(d, item)
	}
	s.exclusive(out)
	s.confident(out)
	if item {
		s.labelled(out, it)
	}
	return out
}

// labelled applies the label the item's outlet gave it, if any.
func (s Set) labelled(out []Decision, it *news.Item) {
	o := s.Outlets()
	label := o.Label(it)
	if label == "" {
		return
	}
	group := ""
	for _, t := range s {
		if t.Name == label {
			group = t.exclusive
		}
	}
	for i, t := range s {
		if out[i].Excluded != "" {
			continue
		}
		switch {
		case t.Name == label && t.profile != nil: // the outlet's own section
			out[i].In, out[i].Outlet, out[i].Unsure, out[i].LostTo = true, label, false, ""
		case group != "" && t.exclusive == group && t.Name != label: // another of its group, keyword topics too
			if out[i].In {
				out[i].In, out[i].Outlet, out[i].LostTo = false, label, label
			}
		case label == NoSection && t.profile != nil && o.sections[t.Name] && out[i].In && out[i].Rule == "": // none of ours, by example
			out[i].In, out[i].Outlet = false, label
		}
	}
}

// exclusive keeps an item in one topic of each exclusive group: the
// best-scoring (ties: one a rule matched, then the first listed).
func (s Set) exclusive(out []Decision) {
	best := map[string]int{} // exclusive group -> the decision that keeps the item
	for i, t := range s {
		if !out[i].In || t.exclusive == "" {
			continue
		}
		j, ok := best[t.exclusive]
		if !ok {
			best[t.exclusive] = i
			continue
		}
		if better(out[i], out[j]) {
			out[j].In, out[j].LostTo = false, t.Name
			best[t.exclusive] = i
		} else {
			out[i].In, out[i].LostTo = false, s[j].Name
		}
	}
}

// confident applies each topic's confidence to the decisions: an item in
// a topic by score alone must be sure of it, against the best score of
// the other topics of its exclusive group.
func (s Set) confident(out []Decision) {
	for i, t := range s {
		rival := 0.0
		if t.exclusive != "" {
			for j, u := range s {
				if j != i && u.exclusive == t.exclusive && out[j].Excluded == "" {
					rival = max(rival, out[j].Score)
				}
			}
		}
		t.confident(&out[i], rival)
	}
}

// better reports whether a beats b for an exclusive group.
func better(a, b Decision) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.Rule != "" && b.Rule == ""
}
