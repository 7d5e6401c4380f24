package dedupe

import (
	"hash/maphash"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tributary/text"
)

// Templates are what an outlet repeats in its items — "Subscribe to our
// YouTube channel for updates…", "Unang Balita is the news segment of…",
// "… | Teleradyo (7 July 2020)" — and says nothing of the event: two of
// its items, or its item and another outlet's with a like template, would
// look alike by it. What an item shares with one of its source's latest
// items (templateItems) is left out of what it is compared on: a run of
// templateRun words or more of its text, a segment of its headline
// between the separators outlets put their labels behind (" | ", " - ").
// Only the source's own earlier items count, and a source's items come in
// one order whatever the order of the polls of different sources, so the
// decisions stay independent of that order.
const (
	templateItems = 12
	templateRun   = 6
	shingleWords  = 4
)

// templates remembers each source's latest items' passages.
type templates struct {
	seed    maphash.Seed
	sources map[uint32]*sourceMemory
}

// sourceMemory is a source's latest items, a ring.
type sourceMemory struct {
	items [templateItems]remembered
	next  int
}

// remembered is one item's passages: its headline's segments and its
// text's word shingles, hashed and sorted.
type remembered struct {
	item     uint64 // which item (its GUID, hashed): an item is no template of itself
	segments []uint64
	shingles []uint64
}

// pushed is what remembering an item overwrote, to take it back.
type pushed struct {
	source uint32
	slot   int
	was    remembered
}

// How a tokenization reads the templates.
type templateUse uint8

const (
	learn  templateUse = iota // an item being indexed: it is remembered
	peek                      // an item not indexed, looked up: it is not
	stored                    // an item indexed before, compared again: it is not, and is no template of itself
)

func newTemplates(seed maphash.Seed) *templates {
	return &templates{seed: seed, sources: map[uint32]*sourceMemory{}}
}

// passages splits an item into what templates are made of: its
// headline's segments, and its text's words with a hash of each
// shingleWords words from each on.
type passages struct {
	segments []string
	segHash  []uint64
	words    []string // the text's words, as written
	shingle  []uint64 // shingle i covers words i … i+shingleWords-1
}

// wordKey is how a word counts in a template: its letters, folded; every
// number is one word ("(7 July 2020)" and "(8 July 2020)" are one).
func wordKey(h *maphash.Hash, w string) {
	var buf [utf8.UTFMax]byte
	digits := false
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		var low [64]byte
		out := low[:0]
		for i := 0; i < len(w); i++ {
			c := w[i]
			switch {
			case 'a' <= c && c <= 'z':
				out = append(out, c)
			case 'A' <= c && c <= 'Z':
				out = append(out, c+'a'-'A')
			case '0' <= c && c <= '9':
				digits = true
			}
		}
		if digits {
			out = append(out, '#')
		}
		h.Write(append(out, ' '))
		return
	}
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			h.Write(utf8.AppendRune(buf[:0], unicode.ToLower(r)))
		case unicode.IsDigit(r):
			digits = true
		}
	}
	if digits {
		h.WriteByte('#')
	}
	h.WriteByte(' ')
}

func (t *templates) split(title, body string, p *passages) {
	var h maphash.Hash
	h.SetSeed(t.seed)
	p.segments, p.segHash, p.words, p.shingle = p.segments[:0], p.segHash[:0], p.words[:0], p.shingle[:0]
	headlineSegments(title, func(seg string) {
		h.Reset()
		for w := range strings.FieldsSeq(seg) {
			wordKey(&h, w)
		}
		p.segments = append(p.segments, seg)
		p.segHash = append(p.segHash, h.Sum64())
	})
	p.words = append(p.words, strings.Fields(body)...)
	for i := 0; i+shingleWords <= len(p.words); i++ {
		h.Reset()
		for _, w := range p.words[i : i+shingleWords] {
			wordKey(&h, w)
		}
		p.shingle = append(p.shingle, h.Sum64())
	}
}

// strip returns the headline and text of p without its source's
// templates (a headline that is all template is kept whole).
func (t *templates) strip(source uint32, item uint64, p *passages) (string, string) {
	m := t.sources[source]
	if m == nil {
		return strings.Join(p.segments, " | "), strings.Join(p.words, " ")
	}
	seen := func(h uint64, segment bool) bool {
		for i := range m.items {
			r := &m.items[i]
			if r.item == item && item != 0 {
				continue
			}
			list := r.shingles
			if segment {
				list = r.segments
			}
			if _, ok := slices.BinarySearch(list, h); ok {
				return true
			}
		}
		return false
	}
	var head []string
	for i, seg := range p.segments {
		if !seen(p.segHash[i], true) {
			head = append(head, seg)
		}
	}
	if len(head) == 0 {
		head = p.segments
	}
	// Words covered by a run of repeated shingles templateRun words long.
	drop := make([]bool, len(p.words))
	for i := 0; i < len(p.shingle); {
		if !seen(p.shingle[i], false) {
			i++
			continue
		}
		j := i
		for j < len(p.shingle) && seen(p.shingle[j], false) {
			j++
		}
		if end := j - 1 + shingleWords; end-i >= templateRun {
			for k := i; k < end; k++ {
				drop[k] = true
			}
		}
		i = j
	}
	var b strings.Builder
	for k, w := range p.words {
		if !drop[k] {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return strings.Join(head, " | "), b.String()
}

// remember records an item's passages as its source's latest, and
// returns what it overwrote.
func (t *templates) remember(source uint32, item uint64, p *passages) pushed {
	m := t.sources[source]
	if m == nil {
		m = &sourceMemory{}
		t.sources[source] = m
	}
	slot := m.next
	was := m.items[slot]
	r := remembered{item: item, segments: slices.Clone(p.segHash), shingles: slices.Clone(p.shingle)}
	slices.Sort(r.segments)
	slices.Sort(r.shingles)
	m.items[slot] = r
	m.next = (slot + 1) % templateItems
	return pushed{source: source, slot: slot, was: was}
}

// forget takes back what remember did (in the reverse order).
func (t *templates) forget(p pushed) {
	m := t.sources[p.source]
	m.items[p.slot] = p.was
	m.next = p.slot
}

// headlineSegments splits a headline at the separators outlets put
// between a headline and their own labels: " | ", " - ", " – ", " — ".
func headlineSegments(h string, fn func(seg string)) {
	for h != "" {
		cut, width := len(h), 0
		for _, sep := range []string{" | ", " - ", " – ", " — "} {
			if i := strings.Index(h, sep); i >= 0 && i < cut {
				cut, width = i, len(sep)
			}
		}
		fn(h[:cut])
		if cut == len(h) {
			return
		}
		h = h[cut+width:]
	}
}

// textWithoutTemplates returns an item's headline and text (plain, its
// first few textChars) without its source's templates, remembering the
// item when use is learn.
func (x *Index) textWithoutTemplates(source uint32, item uint64, title, body string, use templateUse) (string, string, *pushed) {
	x.qPass.words = x.qPass.words[:0]
	if body != "" {
		body = text.PlainText(body, 3*textChars)
	}
	x.tpl.split(title, body, &x.qPass)
	h, b := x.tpl.strip(source, item, &x.qPass)
	if use != learn {
		return h, b, nil
	}
	p := x.tpl.remember(source, item, &x.qPass)
	return h, b, &p
}
