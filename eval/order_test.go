package eval

import (
	"math/rand/v2"
	"slices"
	"testing"

	"tributary/dedupe"
)

// TestOrderIndependence: the same items end in the same stories whatever
// order the polls of each 15-minute round arrive in (concurrent polls,
// replicas), and however a feed lists its items: on UCI's headlines, and
// on the first 8,000 items of the RSS stream.
func TestOrderIndependence(t *testing.T) {
	sets := map[string][]Labelled{"UCI": readShared(t, "headlines/uci-dev.csv", ReadStories)}
	stream := readSharedGz(t, "streams/rss-2020.csv.gz", ReadStories)
	slices.SortStableFunc(stream, func(a, b Labelled) int { return a.Time.Compare(b.Time) })
	sets["stream"] = stream[:8000]
	for name, items := range sets {
		t.Run(name, func(t *testing.T) {
			want := cluster(t, items, Order{})
			for seed := uint64(1); seed <= 3; seed++ {
				got := cluster(t, items, Order{Shuffle: true, Seed: seed})
				if same := SameStories(want, got); same != 1 {
					t.Errorf("polls in random order %d: %.4f of items in a story of the same members, want all", seed, same)
				}
			}
			// The file (and so every poll) listed in another order.
			perm := rand.New(rand.NewPCG(9, 9)).Perm(len(items))
			shuffled := make([]Labelled, len(items))
			for i, p := range perm {
				shuffled[i] = items[p]
			}
			back := cluster(t, shuffled, Order{})
			got := make([]string, len(items))
			for i, p := range perm {
				got[p] = back[i]
			}
			if same := SameStories(want, got); same != 1 {
				t.Errorf("items listed in another order: %.4f of items in a story of the same members, want all", same)
			}
		})
	}
}

func cluster(t *testing.T, items []Labelled, order Order) []string {
	t.Helper()
	c, err := Cluster(dedupe.Options{}, items, order)
	if err != nil {
		t.Fatal(err)
	}
	return c.Stories
}
