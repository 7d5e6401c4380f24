package dedupe

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"tributary/news"
)

// TestProfilesStayCounted: after adds, batches rolled back, prunes and
// compactions, every live story's profile — its own counts, or for a
// story of one headline that headline's tokens — and every token's
// document frequency are what its live entries hold.
func TestProfilesStayCounted(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x, err := NewIndex(Options{Window: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"storm", "floods", "coast", "minister", "resigns", "bank", "rates", "vote", "court", "strike", "talks", "7", "12"}
	now := t0
	for round := range 400 {
		now = now.Add(time.Minute)
		b := x.Begin()
		for k := range 1 + r.IntN(4) {
			var title []string
			for range 3 + r.IntN(4) {
				title = append(title, words[r.IntN(len(words))])
			}
			it := news.Item{Source: fmt.Sprint("s", r.IntN(5)), GUID: fmt.Sprint(round, "-", k), Published: now,
				Title: fmt.Sprint(title), URL: fmt.Sprint("https://x.example/", r.IntN(300))}
			b.Assign(&it)
		}
		if r.IntN(5) == 0 {
			b.Rollback()
		} else {
			b.Commit()
		}
		if round%25 == 0 {
			x.Prune(now)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	df := make([]int32, len(x.df))
	want := map[int32]map[uint32]int32{}
	profiled := map[int32]int32{}
	for id, e := range x.ents {
		if e.story < 0 {
			continue
		}
		for _, tok := range x.entryTokens(int32(id)) {
			df[tok]++
			if x.profiled[id] {
				if want[e.story] == nil {
					want[e.story] = map[uint32]int32{}
				}
				want[e.story][tok]++
			}
		}
		if x.profiled[id] {
			profiled[e.story]++
		}
	}
	for tok := range df {
		if df[tok] != x.df[tok] {
			t.Errorf("token %d: df %d, live entries hold it %d times", tok, x.df[tok], df[tok])
		}
	}
	for sid := range x.stories {
		if x.sizes[sid] == 0 {
			continue
		}
		s := &x.stories[sid]
		got := map[uint32]int32{}
		switch {
		case s.counts != nil:
			for _, c := range s.counts {
				got[c.token] = c.n
			}
		case s.first >= 0:
			for _, tok := range x.entryTokens(s.first) {
				got[tok] = 1
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want[int32(sid)]) || s.profiled != profiled[int32(sid)] {
			t.Errorf("story %s: profile %v of %d members, live entries %v of %d", s.key, got, s.profiled, want[int32(sid)], profiled[int32(sid)])
		}
	}
	if x.live == 0 || x.dead > x.live+len(x.ents) {
		t.Errorf("live %d dead %d", x.live, x.dead)
	}
}
