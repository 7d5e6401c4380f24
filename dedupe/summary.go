package dedupe

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"tributary/text"
	"unicode/utf8"
)

// Summaries are a second signal, beside headlines: outlets word their
// summaries differently, but name the same people, places and numbers.
// An item's summary is reduced to a sketch, its sketchTerms rarest terms
// by the background table, and two sketches score as two headlines do
// (score). The summaries' part in a decision (combine) is bounded, and
// only asked for when it can change the decision: for the few candidate
// stories whose headline score is within summaryLift below the
// threshold that applies, or summaryVeto above it.
const (
	sketchTerms = 16   // a summary's rarest terms that are compared
	minSketch   = 4    // a summary of fewer terms is not compared
	summaryBase = 0.12 // a summary score above this lifts, below lowers
	summaryGain = 2.0  // how much the summary score moves the headline score
	summaryLift = 0.20 // the most a summary adds
	summaryVeto = 0.10 // the most a summary takes away
)

// sumTerm is a sketch's term in four bytes: the top 24 bits of its hash
// (two sketches of 16 terms share a term by chance once in 65,000
// comparisons), its weight in steps of weightStep (6 bits), and whether
// it is a number or a name (an entity).
type sumTerm uint32

const (
	termNumber sumTerm = 1 << iota
	termEntity
	weightShift = 2
	weightStep  = 0.2
	hashMask    = sumTerm(0xffffff00)
)

// SummaryPrefix is how much of an item's summary the index reads: its
// first bytes of HTML, which hold the first sentences of its text. A
// store rebuilding the index is asked for this much (store.RecentItems).
const SummaryPrefix = 2048

// newTerm packs a term.
func newTerm(hash uint64, weight float64, number, entity bool) sumTerm {
	t := sumTerm(hash) & hashMask
	t |= sumTerm(min(63, math.Round(weight/weightStep))) << weightShift
	if number {
		t |= termNumber
	}
	if entity {
		t |= termEntity
	}
	return t
}

func (t sumTerm) hash() sumTerm      { return t & hashMask }
func (t sumTerm) weight() float64    { return float64(t>>weightShift&63) * weightStep }
func (t sumTerm) has(f sumTerm) bool { return t&f != 0 }

// sketch returns the sketch of a summary (HTML or text), or nil when it
// has too few terms to compare.
func (x *Index) sketch(summary string) []sumTerm {
	if summary == "" {
		return nil
	}
	if len(summary) > SummaryPrefix { // what a rebuild reads of it too
		cut := SummaryPrefix
		for cut > 0 && !utf8.RuneStart(summary[cut]) {
			cut--
		}
		summary = summary[:cut]
	}
	toks, named := x.norm.TextTokens(summary)
	if len(toks) < minSketch {
		return nil
	}
	type term struct {
		tok string
		w   float64
		ent bool
	}
	terms := make([]term, len(toks))
	for i, t := range toks {
		terms[i] = term{t, x.backgroundWeight(t), named[i]}
	}
	slices.SortFunc(terms, func(a, b term) int { return cmp.Or(-cmp.Compare(a.w, b.w), strings.Compare(a.tok, b.tok)) })
	terms = terms[:min(len(terms), sketchTerms)]
	out := make([]sumTerm, len(terms))
	for i, t := range terms {
		out[i] = newTerm(maphash.String(x.urlSeed, t.tok), t.w, text.IsNumber(t.tok), t.ent)
	}
	slices.Sort(out)
	return out
}

// backgroundWeight is a token's rarity in the background table alone: a
// summary's terms are weighed the same whatever the window holds.
func (x *Index) backgroundWeight(t string) float64 { return x.background.Weight(t) }

// summaryScore scores two sketches as two headlines are scored, and says
// whether they disagree on what matters: both name at least two people,
// places or organisations and share none, or both carry numbers and
// share none.
func summaryScore(a, b []sumTerm) (s float64, conflict bool) {
	var shared, ta, tb float64
	var entA, entB, entShared, numA, numB, numShared int
	count := func(t sumTerm, ent, num *int) {
		if t.has(termEntity) {
			*ent++
		}
		if t.has(termNumber) {
			*num++
		}
	}
	for _, t := range a {
		ta += t.weight()
		count(t, &entA, &numA)
	}
	for _, t := range b {
		tb += t.weight()
		count(t, &entB, &numB)
	}
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].hash() < b[j].hash():
			i++
		case a[i].hash() > b[j].hash():
			j++
		default:
			shared += a[i].weight()
			count(a[i], &entShared, &numShared)
			i, j = i+1, j+1
		}
	}
	s = score(shared, ta, tb, numbers{}, numbers{})
	conflict = (entA >= 2 && entB >= 2 && entShared == 0) || (numA > 0 && numB > 0 && numShared == 0)
	return s, conflict
}

// combine returns headline score h with the summaries' part: h plus
// summaryGain × (summary score − summaryBase), at most summaryLift more
// and summaryVeto less, and summaryVeto less at least when the summaries
// disagree on names or numbers (summaryScore). Without two sketches to
// compare it is h.
func combine(h float64, a, b []sumTerm) (score, summary float64) {
	if len(a) == 0 || len(b) == 0 {
		return h, 0
	}
	s, conflict := summaryScore(a, b)
	adj := max(-summaryVeto, min(summaryLift, summaryGain*(s-summaryBase)))
	if conflict {
		adj = min(adj, -summaryVeto)
	}
	return max(0, min(1, h+adj)), s
}

// inBand reports whether the summaries could change a decision on a
// headline score h against threshold need.
func inBand(h, need float64) bool { return h >= need-summaryLift && h < need+summaryVeto }
