package dedupe

import (
	"math"
	"strings"

	"tributary/text"
)

// maxWords bounds the cache of headline words' tokens; it is emptied when
// full, and refills with the words news uses.
const maxWords = 200_000

// vocab numbers the tokens the index has met and keeps what a decision
// reads of each: how many settled entries hold it, its share of the
// background table, and whether it is a number, a country or a common
// given name. Weights are cached: a token's is read again only when
// the entries holding it, or the entries counted at all (to within a
// level), change.
type vocab struct {
	bgTable *text.Background

	ids   map[string]uint32 // token -> id
	words map[string]int32  // headline word -> its token's id, -1 for none: spares folding and stemming
	df    []int32           // settled live entries holding the token
	bg    []float32         // the token's share of the background table's documents
	kind  []uint8           // isNumber | isPlace | isGiven

	// settled is how many live entries are settled: with df, what a
	// token's weight is read from.
	settled int32

	// The weights as last read, by token id, with the df and the level
	// of the count of entries they were read at (cachedDF, cachedLevel).
	cached      []float32
	cachedDF    []int32
	cachedLevel []int32
	// The level of settled (read at levelAt), and the count it stands for.
	level, levelAt int32
	levelN         float64
}

// Kinds of token.
const (
	isNumber uint8 = 1 << iota
	isPlace
	isGiven
)

func newVocab(bg *text.Background) *vocab {
	return &vocab{bgTable: bg, ids: map[string]uint32{}, words: map[string]int32{}, levelAt: -1}
}

// intern returns the id of token t, numbering it if it is new.
func (v *vocab) intern(t string) uint32 {
	if id, ok := v.ids[t]; ok {
		return id
	}
	id := uint32(len(v.df))
	v.ids[strings.Clone(t)] = id
	v.df = append(v.df, 0)
	v.bg = append(v.bg, float32(v.bgTable.Share(t)))
	var k uint8
	if text.IsNumber(t) {
		k |= isNumber
	}
	v.kind = append(v.kind, k)
	v.cached = append(v.cached, 0)
	v.cachedDF = append(v.cachedDF, -1)
	v.cachedLevel = append(v.cachedLevel, -1)
	return id
}

// word returns the id of a headline word's token (-1 for a stop word),
// from the cache when the word was met before; the word's own kinds
// (a country, a given name) are marked on its token.
func (v *vocab) word(n *text.Normalizer, w string) int32 {
	if id, ok := v.words[w]; ok {
		return id
	}
	id := int32(-1)
	if t, ok := n.Token(w); ok && !text.IsDate(w) {
		id = int32(v.intern(t))
		if text.IsCountry(w) {
			v.kind[id] |= isPlace
		}
		if text.GivenName(w) {
			v.kind[id] |= isGiven
		}
	}
	if len(v.words) >= maxWords {
		clear(v.words)
	}
	v.words[strings.Clone(w)] = id
	return id
}

// levels per e-fold of the count of entries a weight is read at: the
// count moves with every entry settled, the weights only once it has
// moved by about two percent.
const levels = 50

// weight is token id's rarity: high for a token few settled entries hold.
// The settled entries are counted together with text.PriorDocs documents
// of the background table (bg is the token's share of those), so a young
// window weighs words as the news at large does, and a full one by what
// it holds itself. Entries not yet settled count in no weight: a decision
// among them reads only what settled before it, so the order they came
// in changes nothing.
func (v *vocab) weight(id uint32) float64 {
	if v.levelAt != v.settled {
		if level := int32(math.Log(float64(v.settled)+text.PriorDocs) * levels); level != v.level || v.levelAt < 0 {
			v.level, v.levelN = level, math.Exp(float64(level)/levels)
		}
		v.levelAt = v.settled
	}
	level := v.level
	if v.cachedDF[id] == v.df[id] && v.cachedLevel[id] == level {
		return float64(v.cached[id])
	}
	w := math.Log(1 + (v.levelN+1)/(v.expected(id)+1))
	v.cached[id], v.cachedDF[id], v.cachedLevel[id] = float32(w), v.df[id], level
	return w
}

// expected is how many of the settled entries and the background's prior
// documents hold token id.
func (v *vocab) expected(id uint32) float64 {
	return float64(v.df[id]) + text.PriorDocs*float64(v.bg[id])
}

// rareShare is the most a token may be held by — settled entries and
// background documents together — to lead to candidates: a name, a
// place, a rare word, not "says" or "coronavirus".
const rareShare = 0.03

// maxRare is the most entries a token leading to candidates may be
// expected in, however large the window: in a window of 100,000 items a
// token in 3,000 of them names no event, and walking its entries for
// every item would cost more than all else (a definition, not a fitted
// number; a window under 8,000 items never reaches it).
const maxRare = 200

// rare reports whether token id leads to candidates (rareShare, maxRare).
func (v *vocab) rare(id uint32) bool {
	return v.expected(id) <= min(rareShare*(float64(v.settled)+text.PriorDocs), maxRare)
}

// token returns token id's text (for explanations: it walks the
// vocabulary).
func (v *vocab) token(id uint32) string {
	for t, i := range v.ids {
		if i == id {
			return t
		}
	}
	return ""
}
