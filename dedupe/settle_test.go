package dedupe

import (
	"slices"
	"strings"
	"testing"
	"time"

	"tributary/news"
)

// settleAll runs an empty batch at now, settling what is due, and returns
// its moves.
func settleAll(x *Index, now time.Time) []Move {
	b := x.Begin(now)
	r := b.AssignAll(nil)
	b.Commit()
	return r.Moves
}

// entryOf returns the live entry of an item.
func entryOf(t *testing.T, x *Index, it news.Item) int32 {
	t.Helper()
	for e := range x.ents {
		if x.keys[e] == it.Source+"\x00"+it.GUID && x.ents[e].story >= 0 {
			return int32(e)
		}
	}
	t.Fatalf("%s/%s is not indexed", it.Source, it.GUID)
	return -1
}

// TestSettle: an item is decided when it comes, and for good once it has
// settled; a batch rolled back takes its settling back too, and the next
// batch settles the same way.
func TestSettle(t *testing.T) {
	x := newTestIndex(t, Options{})
	a := item("a", 0, "Glacier collapse buries Alpine village in Switzerland", "")
	b := item("b", 1, "Swiss Alpine village buried by glacier collapse", "")
	got := assign(x, a, b)
	if got[0] != got[1] {
		t.Fatalf("the copy did not join: %v", got)
	}
	ea, eb := entryOf(t, x, a), entryOf(t, x, b)
	if x.ents[ea].settled {
		t.Fatal("settled before its settle period")
	}
	due := t0.Add(DefaultSettle + time.Minute)
	batch := x.Begin(due)
	batch.AssignAll(nil)
	if !x.ents[ea].settled || !x.ents[eb].settled {
		t.Fatal("not settled a settle period after it was fetched")
	}
	batch.Rollback()
	if x.ents[ea].settled || x.ents[eb].settled {
		t.Fatal("a rolled back batch left its items settled")
	}
	if moves := settleAll(x, due); len(moves) != 0 {
		t.Errorf("moves = %+v: the copies stay together", moves)
	}
	if got := stories(x, []news.Item{a, b}); got[0] != got[1] || got[0] != stories(x, []news.Item{a})[0] {
		t.Errorf("after settling: %v", got)
	}
}

// TestOutletSeries: an outlet's items alike a day apart are its series (a
// daily horoscope), never one story; the same hours apart are its
// copies, shown as one entry.
func TestOutletSeries(t *testing.T) {
	const (
		headline = "Glacier collapse buries Alpine village of Blatten"
		summary  = "<p>A glacier collapse buried most of the Swiss village of Blatten, evacuated last week.</p>"
	)
	x := newTestIndex(t, Options{})
	monday := item("paper", 0, headline, summary)
	tuesday := item("paper", 1, headline, summary)
	tuesday.Published, tuesday.Fetched = t0.Add(24*time.Hour), t0.Add(24*time.Hour)
	if got := assign(x, monday, tuesday); got[0] == got[1] {
		t.Error("one outlet's items a day apart joined one story")
	}
	x = newTestIndex(t, Options{})
	later := item("paper", 2, headline, summary)
	later.Published, later.Fetched = t0.Add(3*time.Hour), t0.Add(3*time.Hour)
	if got := assign(x, monday, later); got[0] != got[1] {
		t.Error("one outlet's copies hours apart stayed apart")
	}
}

// TestTemplates: what an outlet repeats in its items (a channel's
// boilerplate, its label behind " | ") is left out of what they are
// compared on; another outlet's item keeps its own text whole.
func TestTemplates(t *testing.T) {
	x := newTestIndex(t, Options{})
	boiler := " Subscribe to our channel for the latest news and updates every day and night."
	var items []news.Item
	for i, h := range []string{"Market wrap | Evening Show", "Weather outlook | Evening Show", "Election debate | Evening Show"} {
		items = append(items, item("tv", i, h, "Tonight on the programme."+boiler))
	}
	assign(x, items...)
	words := func(it news.Item) string {
		x.mu.Lock()
		defer x.mu.Unlock()
		var out []string
		for _, t := range x.tokens(entryOf(t, x, it)) {
			out = append(out, x.v.token(t&^nameBit))
		}
		return strings.Join(out, " ")
	}
	if w := words(items[0]); !strings.Contains(w, "subscrib") || !strings.Contains(w, "show") {
		t.Errorf("the first item is read whole: %s", w)
	}
	for _, it := range items[1:] {
		if w := words(it); strings.Contains(w, "subscrib") || strings.Contains(w, "show") {
			t.Errorf("%q still holds its outlet's template: %s", it.Title, w)
		}
	}
	other := item("radio", 9, "Market wrap | Radio", "Prices fell."+boiler)
	assign(x, other)
	if w := words(other); !strings.Contains(w, "subscrib") {
		t.Errorf("another outlet's text lost its words: %s", w)
	}
}

// TestObserve: the fitting tool is told the comparisons of final
// decisions, with their features.
func TestObserve(t *testing.T) {
	var seen [][2]string
	x := newTestIndex(t, Options{Observe: func(a, b [2]string, f Features) {
		if a[0] == "bg" {
			return // the background settling
		}
		seen = append(seen, [2]string{a[0], b[0]})
		if f.Headline <= 0 {
			t.Errorf("%v and %v compared with no headline likeness", a, b)
		}
	}})
	assign(x, item("a", 0, "Glacier collapse buries Alpine village", ""), item("b", 1, "Alpine village buried by glacier collapse", ""))
	if len(seen) != 0 {
		t.Errorf("told of provisional decisions: %v", seen)
	}
	settleAll(x, t0.Add(time.Hour))
	if !slices.Contains(seen, [2]string{"b", "a"}) {
		t.Errorf("comparisons = %v, want b's with a", seen)
	}
}

// TestSetText: an item's article, come later, is read from then on.
func TestSetText(t *testing.T) {
	x := newTestIndex(t, Options{})
	it := item("a", 0, "Glacier collapse buries Alpine village", "")
	assign(x, it)
	it.Content = "<p>Rescuers searched the debris of Blatten through the night.</p>"
	x.SetText(&it)
	x.mu.Lock()
	defer x.mu.Unlock()
	var toks []string
	for _, t := range x.tokens(entryOf(t, x, it)) {
		toks = append(toks, x.v.token(t&^nameBit))
	}
	if !slices.Contains(toks, "blatten") {
		t.Errorf("tokens %v lack the article's", toks)
	}
}

// TestModelFile: the embedded model parses, names every feature, and a
// broken one is refused with the reason.
func TestModelFile(t *testing.T) {
	m, err := BuiltinModel()
	if err != nil {
		t.Fatal(err)
	}
	if m.Fitted == "" || m.Threshold <= 0 || m.Linkage < 2 {
		t.Errorf("model = %+v: want its provenance, a threshold and a linkage of 2 or more (no chains)", m)
	}
	for in, want := range map[string]string{
		`{`: "model:",
		`{"features":["headline"],"weights":[1,2]}`:                                       "1 features, 2 weights",
		`{"features":["nope"],"weights":[1]}`:                                             `unknown feature "nope"`,
		`{"features":["headline"],"weights":[1],"threshold":0.5,"merge":0.5,"linkage":1}`: "no weight for feature",
	} {
		if _, err := ParseModel([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseModel(%s) = %v, want %q", in, err, want)
		}
	}
}
