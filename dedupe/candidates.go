package dedupe

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// maxScored is how many candidate entries an item is compared with in
// full: those sharing the most rare weight with it.
const maxScored = 16

// maxProvisional bounds the entries a provisional decision walks for one
// token. Rarity counts settled entries only (so final decisions depend on
// nothing else); in a burst of polls — a start-up with a thousand sources —
// thousands of unsettled items may hold a token the counts still call
// rare. A provisional decision is taken again when its item settles, so
// it may skip such a token; a final one never does.
const maxProvisional = 2 * maxRare

// scored is a candidate entry and how it compared with the query.
type scored struct {
	e     int32
	story int32
	p     float64
	f     Features
}

// outletDay bounds an outlet's own copies of one event: its items
// published this far apart or more are its series — a daily horoscope, a
// morning briefing, a programme's episodes — never one story. (A
// definition, not a fitted number: the judged days hold no pair this far
// apart to learn it from.)
const outletDay = int64(20 * time.Hour)

// scan accumulates, for entry e, the rare weight it shares with every
// decided live entry (settled, if settled is set) published within a
// window of it, and returns those entries (Index.touched; their acc holds
// the weight). Only rare tokens lead there (vocab.rare): an item meets
// the items that name what it names.
func (x *Index) scan(e int32, settled bool) []int32 {
	x.stamp++
	if x.stamp == 0 {
		for i := range x.ents {
			x.ents[i].stamp = 0
		}
		x.stamp = 1
	}
	x.touched = x.touched[:0]
	pub, win, source := x.ents[e].published, x.window.Nanoseconds(), x.ents[e].source
	for _, t := range x.tokens(e) {
		id := t &^ nameBit
		if !x.v.rare(id) || (!settled && len(x.postings[id]) > maxProvisional) {
			continue
		}
		w := float32(x.v.weight(id))
		for _, y := range x.postings[id] {
			en := &x.ents[y]
			if y == e || en.story < 0 || (settled && !en.settled) || en.published-pub > win || pub-en.published > win ||
				(en.source == source && (en.published-pub >= outletDay || pub-en.published >= outletDay)) {
				continue
			}
			if en.stamp != x.stamp {
				en.stamp, en.acc = x.stamp, 0
				x.touched = append(x.touched, y)
			}
			en.acc += w
		}
	}
	return x.touched
}

// candidates compares entry e with the decided entries (the settled
// ones, if settled is set: a final decision, which Options.Observe is
// told of) it could share a story with, the maxScored most promising in
// full, and returns them, best first.
func (x *Index) candidates(e int32, settled bool) []scored {
	touched := x.scan(e, settled)
	if len(touched) > maxScored {
		touched = x.best(touched, maxScored)
	}
	x.load(&x.q, x.view(e))
	out := x.scored[:0]
	for _, y := range touched {
		f := x.compare(&x.q, x.view(y))
		out = append(out, scored{e: y, story: x.ents[y].story, p: x.model.Prob(&f), f: f})
		if settled && x.observe != nil {
			x.observe(x.keyOf(e), x.keyOf(y), f)
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		if o := cmp.Compare(b.p, a.p); o != 0 {
			return o
		}
		return x.canonical(a.e, b.e)
	})
	x.scored = out
	return out
}

// keyOf returns entry e's source and GUID.
func (x *Index) keyOf(e int32) [2]string {
	source, guid, _ := strings.Cut(x.keys[e], "\x00")
	return [2]string{source, guid}
}

// best returns the k entries of es (more than k) that share the most rare
// weight with the query (acc; ties in the canonical order), in no order:
// a selection, not a sort, since most entries a scan touches share
// little.
func (x *Index) best(es []int32, k int) []int32 {
	more := func(a, b int32) bool {
		if x.ents[a].acc != x.ents[b].acc {
			return x.ents[a].acc > x.ents[b].acc
		}
		return x.canonical(a, b) < 0
	}
	lo, hi := 0, len(es)-1
	for lo < hi { // quickselect: es[:k] ends up the k best
		p := es[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for more(es[i], p) {
				i++
			}
			for more(p, es[j]) {
				j--
			}
			if i <= j {
				es[i], es[j] = es[j], es[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return es[:k]
		}
	}
	return es[:k]
}
