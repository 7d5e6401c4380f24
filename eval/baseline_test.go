package eval

import (
	"testing"
	"time"
)

// TestBaseline: the yardstick joins two outlets' like items within 48
// hours, and never one outlet's two items or items two days apart.
func TestBaseline(t *testing.T) {
	at := time.Date(2020, 5, 12, 9, 0, 0, 0, time.UTC)
	items := []Labelled{
		{ID: "a", Source: "one", Time: at, Title: "Volcano erupts on Iceland's Reykjanes peninsula", Summary: "Lava reached the town of Grindavik overnight."},
		{ID: "b", Source: "two", Time: at.Add(time.Hour), Title: "Iceland volcano erupts near Grindavik on Reykjanes peninsula"},
		{ID: "c", Source: "two", Time: at.Add(2 * time.Hour), Title: "Iceland volcano erupts near Grindavik on Reykjanes peninsula again"},
		{ID: "d", Source: "three", Time: at.Add(72 * time.Hour), Title: "Volcano erupts on Iceland's Reykjanes peninsula"},
		{ID: "e", Source: "three", Time: at, Title: "Parliament passes the budget after a long night"},
	}
	for i, h := range []string{"Stocks fall as rates rise", "Storm hits the coast", "Team wins the cup final", "Minister resigns over report", "New phone goes on sale", "Rail strike called off"} {
		items = append(items, Labelled{ID: h, Source: "four", Time: at.Add(time.Duration(i) * time.Hour), Title: h})
	}
	got := Baseline(items, 0.35)
	if got[0] != got[1] || got[0] != got[2] {
		t.Errorf("the eruption's copies apart: %q", got)
	}
	if got[3] == got[0] || got[4] == got[0] {
		t.Errorf("a copy three days later, or another event, joined: %q", got)
	}
	if Baseline(items[1:3], 0.35)[0] == Baseline(items[1:3], 0.35)[1] {
		t.Error("one outlet's two items joined")
	}
}

// TestWithoutLargest: the largest true stories are left out of a score,
// ties broken by name.
func TestWithoutLargest(t *testing.T) {
	items := []Labelled{{Story: "x"}, {Story: "y"}, {Story: "x"}, {Story: "z"}, {Story: "y"}, {Story: "w"}}
	got := []string{"1", "2", "1", "3", "2", "4"}
	apart := Largest(items, 1)
	if len(apart) != 1 || !apart["x"] {
		t.Fatalf("Largest = %v, want x (tied with y, first by name)", apart)
	}
	kept, found := Without(items, got, apart)
	if len(kept) != 4 || len(found) != 4 || found[0] != "2" || kept[0].Story != "y" {
		t.Errorf("Without = %v %v", kept, found)
	}
	if len(Largest(items, 10)) != 4 {
		t.Error("Largest beyond the stories' number")
	}
}
