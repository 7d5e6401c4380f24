package dedupe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"tributary/news"
)

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// background is a day of unrelated headlines, written for these tests, so
// token weights behave as in a real window.
var background = []string{
	"Central bank holds interest rates steady as inflation eases",
	"Wildfires force thousands to flee homes in southern California",
	"Parliament passes budget after overnight session",
	"Tech giant unveils foldable phone with longer battery life",
	"Football club sacks manager after fifth straight defeat",
	"Scientists map the genome of an ancient wheat variety",
	"Airline strike grounds hundreds of flights across Europe",
	"Prime minister reshuffles cabinet ahead of election year",
	"Oil prices climb as producers agree to extend output cuts",
	"Museum returns looted bronzes to Nigeria",
	"Heatwave pushes temperatures past 45C in Pakistan",
	"Carmaker recalls 300,000 vehicles over brake fault",
	"Police arrest suspect after shooting at shopping centre",
	"Film festival opens with premiere of space drama",
	"Tennis champion withdraws from tournament with injury",
	"Government announces plan to build 50 new hospitals",
	"Earthquake of magnitude 6.1 strikes off Japan coast",
	"Shares in chipmaker soar after record quarterly profit",
	"Protesters gather outside embassy demanding release of journalist",
	"Vaccine maker seeks approval for updated booster",
	"Floods cut off villages in northern India after monsoon rains",
	"Opposition leader calls for inquiry into contracts",
	"Astronauts return to Earth after six months on space station",
	"Retail sales fall for third month as shoppers cut back",
	"President signs executive order on artificial intelligence safety",
	"Trade talks resume between European Union and Mexico",
	"Fire breaks out at historic cathedral roof",
	"Unemployment rises to highest level in two years",
	"Ceasefire talks stall as fighting continues in the north",
	"Pop star announces world tour dates for next summer",
}

// newTestIndex returns an index holding the background, settled.
func newTestIndex(t testing.TB, opts Options) *Index {
	t.Helper()
	x, err := NewIndex(opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range background {
		at := t0.Add(-2 * time.Hour)
		x.Add(&news.Item{Source: "bg", GUID: fmt.Sprint(i), Title: h, Story: fmt.Sprint("bg", i), Published: at, Fetched: at})
	}
	return x
}

// item is a test item of source, a minute apart per i.
func item(source string, i int, title, summary string) news.Item {
	at := t0.Add(time.Duration(i) * time.Minute)
	return news.Item{Source: source, GUID: fmt.Sprint(i), Title: title, Summary: summary, Published: at, Fetched: at}
}

// assign runs items through one batch each, in order, and returns their
// stories as the index holds them at the end.
func assign(x *Index, items ...news.Item) []string {
	for i := range items {
		b := x.Begin(items[i].Fetched)
		b.AssignAll(items[i : i+1])
		b.Commit()
	}
	return stories(x, items)
}

// stories returns the stories the index holds the items in now.
func stories(x *Index, items []news.Item) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]string, len(items))
	for i, it := range items {
		key := it.Source + "\x00" + it.GUID
		for e := range x.ents {
			if x.keys[e] == key && x.ents[e].story >= 0 {
				out[i] = x.stories[x.ents[e].story].key
			}
		}
	}
	return out
}

func headlines(hs ...string) []news.Item {
	var out []news.Item
	for i, h := range hs {
		out = append(out, item(fmt.Sprint("src", i), i, h, ""))
	}
	return out
}

func distinct(stories []string) int {
	seen := map[string]bool{}
	for _, s := range stories {
		seen[s] = true
	}
	return len(seen)
}

func TestOneEventManyOutlets(t *testing.T) {
	tests := []struct {
		name  string
		items []news.Item
	}{
		{"agency suffixes and boilerplate", headlines(
			"Volcano erupts on Iceland's Reykjanes peninsula, town evacuated - Reuters",
			"LIVE: Volcano erupts on Iceland's Reykjanes peninsula as town is evacuated",
			"Volcano erupts on Reykjanes peninsula in Iceland, town evacuated | BBC News",
		)},
		{"typography and demonyms", headlines(
			"Kenya’s president signs finance bill into law",
			"Kenyan President signs Finance Bill into law",
		)},
		{"headlines apart, summaries alike", []news.Item{
			item("a", 0, "Kevin De Bruyne gives Manchester City advantage against Atlético Madrid",
				"<p>Kevin De Bruyne scored the only goal as Manchester City beat Atlético Madrid 1-0 in the first leg of their Champions League quarter-final at the Etihad Stadium.</p>"),
			item("b", 1, "Kevin De Bruyne breaks through red and white wall to earn Man City victory over Atletico Madrid",
				"<p>Manchester City beat Atletico Madrid 1-0 at the Etihad Stadium in the Champions League quarter-final first leg, Kevin De Bruyne scoring the only goal.</p>"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newTestIndex(t, Options{})
			if got := assign(x, tt.items...); distinct(got) != 1 {
				t.Errorf("%d stories for one event: %v", distinct(got), got)
			}
		})
	}
}

func TestDifferentEventsStayApart(t *testing.T) {
	tests := [][]string{
		{"Trump signs tariff order on Iran trade", "Trump endorses Takaichi ahead of Japan election"},
		{"Indonesian president to visit UK", "Indonesian president to visit Australia"},
		{"Apple shares jump after earnings beat", "Apple faces EU fine over app store rules"},
	}
	for _, pair := range tests {
		x := newTestIndex(t, Options{})
		if got := assign(x, headlines(pair...)...); distinct(got) != 2 {
			t.Errorf("merged two events: %q", pair)
		}
	}
}

// TestConflictsAreEvidence: a count or a country one headline gives and
// the other contradicts makes one event less likely (the judged days
// found counts a weak sign: a toll rises through the day).
func TestConflictsAreEvidence(t *testing.T) {
	x := newTestIndex(t, Options{})
	for _, tt := range []struct{ same, conflict [2]string }{
		{[2]string{"7 dead as bus plunges into ravine in Peru", "7 dead as bus plunges into ravine in Peru"},
			[2]string{"7 dead as bus plunges into ravine in Peru", "3 dead as bus plunges into ravine in Peru"}},
		{[2]string{"Indonesian president to visit UK", "Indonesian president to visit UK"},
			[2]string{"Indonesian president to visit UK", "Indonesian president to visit Australia"}},
	} {
		same, conflict := x.CompareHeadlines(tt.same[0], tt.same[1]), x.CompareHeadlines(tt.conflict[0], tt.conflict[1])
		if conflict.Features.NumberConflict+conflict.Features.CountryConflict == 0 {
			t.Errorf("%q: no conflict seen", tt.conflict)
		}
		if conflict.Prob >= same.Prob {
			t.Errorf("%q: probability %.3f with the conflict, %.3f without", tt.conflict, conflict.Prob, same.Prob)
		}
	}
}

// TestNoChaining: B mixes A's event with C's, so A~B and B~C; C is nothing
// like A and must not join the story A and B make.
func TestNoChaining(t *testing.T) {
	x := newTestIndex(t, Options{})
	items := headlines(
		"Wildfire forces evacuation of Greek island resort Rhodes",
		"Wildfire forces evacuation of Greek island resort Rhodes as ferry strike halts boats to Crete",
		"Ferry strike halts boats to Crete",
	)
	got := assign(x, items...)
	if got[0] != got[1] {
		t.Fatalf("A and B should share a story: %v", got)
	}
	if got[2] == got[0] {
		t.Errorf("C was chained onto A's story through B")
	}
}

// TestOrderIndependence: items fetched together end, once settled, in
// the same stories whatever order their polls come in, one item or
// several a poll.
func TestOrderIndependence(t *testing.T) {
	var items []news.Item
	events := [][]string{
		{"Volcano erupts on Iceland's Reykjanes peninsula, town evacuated", "Iceland volcano erupts near Grindavik, town evacuated", "Grindavik evacuated as Reykjanes volcano erupts"},
		{"Kenyan President signs Finance Bill into law", "Kenya's Ruto signs finance bill despite protests"},
		{"Glacier collapse buries Alpine village in Switzerland", "Swiss village of Blatten buried by glacier collapse"},
		{"Carmaker recalls 300,000 vehicles over brake fault", "Brake fault: carmaker recalls 300,000 cars"},
	}
	n := 0
	for _, ev := range events {
		for _, h := range ev {
			it := item(fmt.Sprint("src", n%5), n, h, "")
			it.Published = t0.Add(time.Duration(rand.New(rand.NewPCG(uint64(n), 7)).IntN(90)) * time.Minute)
			it.Fetched = t0.Add(2 * time.Hour)
			items = append(items, it)
			n++
		}
	}
	var want [][]int
	for seed := range uint64(8) {
		shuffled := slices.Clone(items)
		r := rand.New(rand.NewPCG(seed, 1))
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		x := newTestIndex(t, Options{})
		for i := 0; i < len(shuffled); {
			k := min(len(shuffled)-i, 1+r.IntN(3)) // polls of one to three items
			b := x.Begin(t0.Add(2 * time.Hour))
			b.AssignAll(shuffled[i : i+k])
			b.Commit()
			i += k
		}
		b := x.Begin(t0.Add(2*time.Hour + DefaultSettle)) // they settle
		b.AssignAll(nil)
		b.Commit()
		got := partition(stories(x, items))
		if seed == 0 {
			want = got
			continue
		}
		if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
			t.Errorf("order %d: stories %v, order 0: %v", seed, got, want)
		}
	}
}

// partition returns which items share a story, as sets of their indexes.
func partition(stories []string) [][]int {
	by := map[string][]int{}
	var keys []string
	for i, s := range stories {
		if by[s] == nil {
			keys = append(keys, s)
		}
		by[s] = append(by[s], i)
	}
	out := make([][]int, 0, len(keys))
	for _, k := range keys {
		out = append(out, by[k])
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

func TestURL(t *testing.T) {
	x := newTestIndex(t, Options{Window: 48 * time.Hour})
	first := item("a", 0, "Completely different words", "")
	first.URL = Canonical("https://wire.example/s?utm_source=a")
	copyByURL := item("b", 1, "Another headline entirely", "")
	copyByURL.URL = Canonical("http://WIRE.example/s/#top")
	late := item("c", 2, "Completely different words", "")
	late.URL, late.Published, late.Fetched = first.URL, t0.Add(72*time.Hour), t0.Add(72*time.Hour)
	got := assign(x, first, copyByURL)
	if got[0] != got[1] {
		t.Errorf("same canonical URL: %v", got)
	}
	if got := assign(x, late); got[0] == first.Story {
		t.Errorf("outside the window: joined %s", got[0])
	}
}

func TestRollback(t *testing.T) {
	x := newTestIndex(t, Options{})
	a := item("a", 0, "Glacier collapse buries Alpine village", "")
	assign(x, a)
	n := x.Len()
	b := x.Begin(t0.Add(time.Minute))
	it := item("b", 1, "Alpine village buried by glacier collapse", "")
	it.URL = "https://b.example/1"
	r := b.AssignAll([]news.Item{it})
	if r.Matches[0].Story != stories(x, []news.Item{a})[0] {
		t.Fatalf("fixture: the copy did not join: %+v", r)
	}
	b.Rollback() // the store write failed
	if x.Len() != n {
		t.Errorf("Len = %d after rollback, want %d", x.Len(), n)
	}
	probe := item("c", 2, "x", "")
	probe.URL = "https://b.example/1"
	if m, ok := x.Lookup(&probe, t0.Add(2*time.Minute)); ok {
		t.Errorf("rolled back item still matches: %+v", m)
	}
	if got := stories(x, []news.Item{a}); got[0] == "" {
		t.Error("the first item lost its story in the rollback")
	}
}

func TestLookupDoesNotIndex(t *testing.T) {
	x := newTestIndex(t, Options{})
	n := x.Len()
	it := item("a", 0, "Glacier collapse buries Alpine village", "")
	x.Lookup(&it, t0)
	if x.Len() != n {
		t.Error("Lookup indexed the item")
	}
}

func TestPrune(t *testing.T) {
	x := newTestIndex(t, Options{Window: time.Hour})
	assign(x, item("a", 0, "Glacier collapse buries Alpine village", ""))
	x.Prune(t0.Add(3 * time.Hour))
	if x.Len() != 0 {
		t.Errorf("Len after prune = %d, want 0", x.Len())
	}
	// The index keeps working after a compaction.
	a, b := item("a", 200, "Glacier collapse buries Alpine village in Switzerland", ""), item("b", 201, "Swiss Alpine village buried by glacier collapse", "")
	if got := assign(x, a, b); got[0] != got[1] {
		t.Error("no match after prune and compaction")
	}
}

func TestThresholdsValidated(t *testing.T) {
	if _, err := NewIndex(Options{Threshold: 1.5}); err == nil {
		t.Error("threshold 1.5 accepted")
	}
}
