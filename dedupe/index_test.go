package dedupe

import (
	"fmt"
	"math"
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

func newTestIndex(t testing.TB, opts Options) *Index {
	t.Helper()
	x, err := NewIndex(opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range background {
		x.Add(&news.Item{Title: h, Story: fmt.Sprint("bg", i), Published: t0.Add(-time.Hour)})
	}
	return x
}

// assign runs headlines through one batch each, a minute apart, from
// different sources, and returns their stories.
func assign(x *Index, headlines ...string) []string {
	var stories []string
	for i, h := range headlines {
		b := x.Begin()
		it := &news.Item{Source: fmt.Sprint("src", i), GUID: fmt.Sprint(i), Title: h, Published: t0.Add(time.Duration(i) * time.Minute)}
		b.Assign(it)
		b.Commit()
		stories = append(stories, it.Story)
	}
	return stories
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
		name      string
		headlines []string
	}{
		{"agency suffixes and boilerplate", []string{
			"Volcano erupts on Iceland's Reykjanes peninsula, town evacuated - Reuters",
			"LIVE: Volcano erupts on Iceland's Reykjanes peninsula as town is evacuated",
			"Volcano erupts on Reykjanes peninsula in Iceland, town evacuated | BBC News",
		}},
		{"reworded", []string{
			"Two killed as magnitude 6.1 earthquake strikes Taiwan",
			"Taiwan earthquake: magnitude 6.1 quake kills two",
			"2 dead after 6.1-magnitude quake hits Taiwan",
		}},
		{"typography and demonyms", []string{
			"Kenya’s president signs finance bill into law",
			"Kenyan President signs Finance Bill into law",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newTestIndex(t, Options{})
			if got := assign(x, tt.headlines...); distinct(got) != 1 {
				t.Errorf("%d stories for one event: %v", distinct(got), got)
			}
		})
	}
}

func TestDifferentEventsStayApart(t *testing.T) {
	tests := [][]string{
		{"Trump signs tariff order on Iran trade", "Trump endorses Takaichi ahead of Japan election"},
		{"Indonesian president to visit UK", "Indonesian president to visit Australia"},
		{"7 dead as bus plunges into ravine in Peru", "3 dead as bus plunges into ravine in Peru"},
		{"Apple shares jump after earnings beat", "Apple faces EU fine over app store rules"},
	}
	for _, pair := range tests {
		x := newTestIndex(t, Options{})
		if got := assign(x, pair...); distinct(got) != 2 {
			t.Errorf("merged two events: %q", pair)
		}
	}
}

// TestNoChaining: B mixes A's event with C's, so A~B and B~C; C is nothing
// like A and must not join the story A and B make.
func TestNoChaining(t *testing.T) {
	x := newTestIndex(t, Options{})
	a := "Wildfire forces evacuation of Greek island resort"
	b := "Wildfire forces evacuation of Greek island resort as ferry strike halts boats"
	c := "Ferry strike halts boats"
	for _, pair := range [][2]string{{a, b}, {b, c}} {
		if s := x.Compare(pair[0], pair[1]).Score; s < x.threshold {
			t.Fatalf("fixture: %q ~ %q scores %.2f, below the threshold", pair[0], pair[1], s)
		}
	}
	got := assign(x, a, b, c)
	if got[0] != got[1] {
		t.Fatalf("A and B should share a story: %v", got)
	}
	if got[2] == got[0] {
		t.Errorf("C was chained onto A's story through B")
	}
}

func TestCompare(t *testing.T) {
	x := newTestIndex(t, Options{})
	pairs := [][2]string{
		{"Oil prices climb as producers agree cuts", "Producers agree output cuts, oil climbs"},
		{"Museum returns looted bronzes", "Tennis champion withdraws"},
		{"Floods in India", "Floods cut off villages in northern India after monsoon rains"},
	}
	for _, p := range pairs {
		ab, ba := x.Compare(p[0], p[1]).Score, x.Compare(p[1], p[0]).Score
		if math.Abs(ab-ba) > 1e-12 {
			t.Errorf("not symmetric: %v vs %v for %q", ab, ba, p)
		}
		if ab < 0 || ab > 1 {
			t.Errorf("score %v outside [0,1] for %q", ab, p)
		}
	}
	if s := x.Compare("Oil prices climb - Reuters", "OIL PRICES CLIMB | BBC News").Score; s != 1 {
		t.Errorf("identical normalised headlines score %v, want 1", s)
	}
	if s := x.Compare("Museum returns looted bronzes", "Tennis champion withdraws").Score; s != 0 {
		t.Errorf("disjoint headlines score %v, want 0", s)
	}
	c := x.Compare("Carmaker recalls vehicles over brake fault", "Brake fault: carmaker recalls 300,000 cars")
	if len(c.Shared) == 0 || c.Shared[0].Weight < c.Shared[len(c.Shared)-1].Weight {
		t.Errorf("shared tokens not heaviest first: %+v", c.Shared)
	}
}

func TestURLAndWindow(t *testing.T) {
	x := newTestIndex(t, Options{Window: 48 * time.Hour})
	b := x.Begin()
	first := &news.Item{Source: "a", GUID: "1", Title: "Completely different words", URL: Canonical("https://wire.example/s?utm_source=a"), Published: t0}
	b.Assign(first)
	copyByURL := &news.Item{Source: "b", GUID: "1", Title: "Another headline entirely", URL: Canonical("http://WIRE.example/s/#top"), Published: t0.Add(time.Hour)}
	if m := b.Assign(copyByURL); m.Reason != ReasonURL || m.Story != first.Story {
		t.Errorf("same canonical URL: %+v", m)
	}
	late := &news.Item{Source: "c", GUID: "1", Title: "Completely different words", URL: first.URL, Published: t0.Add(72 * time.Hour)}
	if m := b.Assign(late); m.Reason != ReasonNew {
		t.Errorf("outside the window: %+v, want a new story", m)
	}
	b.Commit()
}

func TestRollback(t *testing.T) {
	x := newTestIndex(t, Options{})
	n := x.Len()
	b := x.Begin()
	b.Assign(&news.Item{Source: "a", GUID: "1", Title: "Glacier collapse buries Alpine village", URL: "https://a.example/1", Published: t0})
	b.Rollback() // the store write failed
	if x.Len() != n {
		t.Errorf("Len = %d after rollback, want %d", x.Len(), n)
	}
	for _, probe := range []*news.Item{
		{Title: "Glacier collapse buries Alpine village", Published: t0},
		{URL: "https://a.example/1", Title: "x", Published: t0},
	} {
		if m, ok := x.Lookup(probe); ok {
			t.Errorf("rolled back item still matches: %+v", m)
		}
	}
}

func TestLookupDoesNotIndex(t *testing.T) {
	x := newTestIndex(t, Options{})
	n := x.Len()
	x.Lookup(&news.Item{Title: "Glacier collapse buries Alpine village", Published: t0})
	if x.Len() != n {
		t.Error("Lookup indexed the item")
	}
}

func TestPrune(t *testing.T) {
	x := newTestIndex(t, Options{Window: time.Hour})
	assign(x, "Glacier collapse buries Alpine village")
	x.Prune(t0.Add(3 * time.Hour))
	if x.Len() != 0 {
		t.Errorf("Len after prune = %d, want 0", x.Len())
	}
	// The index keeps working after a compaction.
	got := assign(x, "Glacier collapse buries Alpine village", "Alpine village buried by glacier collapse")
	if got[0] != got[1] {
		t.Error("no match after prune and compaction")
	}
}

// TestPruneKeepsRecentlySeen: an old story first fetched now stays a
// window, so a copy from another outlet still joins it, by link or by
// headline; a window after it was seen, it is gone.
func TestPruneKeepsRecentlySeen(t *testing.T) {
	x := newTestIndex(t, Options{Window: time.Hour})
	old := t0.AddDate(-1, 0, 0)
	now := t0
	first := &news.Item{Source: "a", GUID: "1", Title: "Glacier collapse buries Alpine village",
		URL: "https://wire.example/glacier", Published: old, Fetched: now}
	b := x.Begin()
	b.Assign(first)
	b.Commit()
	x.Prune(now.Add(30 * time.Minute))
	for _, it := range []*news.Item{
		{Source: "b", GUID: "2", Title: "Something else entirely", URL: "https://wire.example/glacier", Published: old, Fetched: now},
		{Source: "c", GUID: "3", Title: "Alpine village buried by glacier collapse", Published: old.Add(time.Minute), Fetched: now},
	} {
		if m, ok := x.Lookup(it); !ok || m.Story != first.Story {
			t.Errorf("%s after a prune within the window: %+v, want story %s", it.Source, m, first.Story)
		}
	}
	x.Prune(now.Add(2 * time.Hour))
	if m, ok := x.Lookup(&news.Item{Title: first.Title, URL: first.URL, Published: old}); ok {
		t.Errorf("a window after it was seen, the story is still indexed: %+v", m)
	}
}

func TestThresholdsValidated(t *testing.T) {
	if _, err := NewIndex(Options{Threshold: 1.5}); err == nil {
		t.Error("threshold 1.5 accepted")
	}
}

func Example() {
	x, _ := NewIndex(Options{})
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	headlines := []string{
		"Volcano erupts in Iceland, town evacuated - Reuters",
		"LIVE: Iceland volcano erupts as town is evacuated",
		"Central bank holds rates",
	}
	for i, h := range headlines {
		b := x.Begin()
		it := &news.Item{Source: fmt.Sprint("outlet", i), GUID: "1", Title: h, Published: now}
		m := b.Assign(it)
		b.Commit() // once the store has the same items
		fmt.Println(m.Reason)
	}
	// Output:
	// new
	// headline
	// new
}
