package topic

import (
	"slices"
	"sort"
	"tributary/text"
)

// DefaultMinScore is the score an item needs to join a topic by example
// (Rules.Like) when the topic does not set its own: chosen on the BBC's
// labelled titles, which tributary's own checks do not use (README,
// "Topics by example").
const DefaultMinScore = 0.1

// Lexicon turns text into the terms topics by example compare — the
// language layer's normalisation (package text): folded, stop words
// dropped, synonyms, stems — and weighs each by its rarity in the
// background table. The weights do not follow the live window, so an
// item's topics do not depend on when it arrived, and filing it again
// gives the same topics. It is read-only and safe for concurrent use.
type Lexicon struct {
	norm *text.Normalizer
	bg   *text.Background
	conf *Confidence
}

// NewLexicon returns a lexicon over the background table bg, with the
// built-in calibration of decisions by example (BuiltinConfidence).
func NewLexicon(bg *text.Background) (*Lexicon, error) {
	n, err := text.NewNormalizer(nil)
	if err != nil {
		return nil, err
	}
	conf, err := BuiltinConfidence()
	if err != nil {
		return nil, err
	}
	return &Lexicon{norm: n, bg: bg, conf: conf}, nil
}

// WithConfidence returns a copy of the lexicon calibrated by c (the
// fitting tool's candidates), or by nothing: with nil, every decision
// by example is sure (confidence 1).
func (l *Lexicon) WithConfidence(c *Confidence) *Lexicon {
	out := *l
	out.conf = c
	return &out
}

// Confidence returns the lexicon's calibration; nil for none.
func (l *Lexicon) Confidence() *Confidence { return l.conf }

// terms returns the distinct terms of a headline and a summary.
func (l *Lexicon) terms(title, summary string) []string {
	out := l.norm.Tokens(title)
	more, _ := l.norm.TextTokens(summary)
	for _, t := range more {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// profile is what a topic by example is about: the terms of its examples
// and keywords.
type profile map[string]bool

// newProfile makes the profile of examples and keyword terms.
func (l *Lexicon) newProfile(examples []string, keywords []Term) profile {
	p := profile{}
	for _, e := range examples {
		for _, t := range l.norm.Tokens(e) {
			p[t] = true
		}
	}
	for _, k := range keywords {
		if k.kind == wordTerm || k.kind == phraseTerm {
			for _, t := range l.norm.Tokens(k.raw) {
				p[t] = true
			}
		}
	}
	return p
}

// Scored is how an item scored with a topic by example, and the terms
// that made the score, heaviest first.
type Scored struct {
	Score  float64
	Terms  []string
	Weight float64 // the weight of all the item's terms
}

// weighted is a term and its rarity.
type weighted struct {
	term   string
	weight float64
}

// score is the share of the item's weight (its terms' rarity) that the
// topic's profile holds: 1 when every term of the item is the topic's, 0
// when none is. A rare word of the topic counts for much, a common one
// for little, and a long summary dilutes no more than its terms weigh.
//
// learned, when set, says how much a term outside the profile is the
// topic's (0 to 1, from what outlets taught it: Outlets); the term then
// counts for that share of its weight.
func (l *Lexicon) score(terms []weighted, p profile, learned func(term string) float64) Scored {
	var in []weighted
	var total, shared float64
	for _, t := range terms {
		total += t.weight
		share := 0.0
		switch {
		case p[t.term]:
			share = 1
		case learned != nil:
			share = learned(t.term)
		}
		if share > 0 {
			shared += share * t.weight
			in = append(in, weighted{t.term, share * t.weight})
		}
	}
	if total == 0 {
		return Scored{}
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].weight > in[j].weight })
	s := Scored{Score: shared / total, Weight: total}
	for _, x := range in {
		s.Terms = append(s.Terms, x.term)
	}
	return s
}
