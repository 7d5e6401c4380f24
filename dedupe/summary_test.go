package dedupe

import (
	"slices"
	"testing"
	"time"

	"tributary/news"
)

// assignItems runs items through one batch each, a minute apart.
func assignItems(x *Index, items ...news.Item) []string {
	var stories []string
	for i := range items {
		it := items[i]
		it.GUID, it.Published = it.Source+"-"+it.Title, t0.Add(time.Duration(i)*time.Minute)
		b := x.Begin()
		b.Assign(&it)
		b.Commit()
		stories = append(stories, it.Story)
	}
	return stories
}

// TestSummaries: headlines close to the threshold are decided by their
// summaries: lifted over it when they name the same people, places and
// numbers, kept under it when they disagree; an item without a summary,
// or two summaries of one outlet, change nothing.
func TestSummaries(t *testing.T) {
	liftA := news.Item{Source: "ft", Title: "Ivanka Trump to testify before January 6 committee",
		Summary: "<p>Former president's daughter is expected to answer questions from the House committee investigating the Capitol riot, in a closed-door interview on Tuesday.</p>"}
	liftB := news.Item{Source: "nyt", Title: "Ivanka Trump Testifies to House Panel Investigating Jan. 6 Attack",
		Summary: "The former president's daughter sat for a closed-door interview with the House committee investigating the Capitol riot on Tuesday, answering questions for hours."}
	vetoA := news.Item{Source: "a", Title: "Man charged with murder after city centre stabbing",
		Summary: "Police in Leeds have charged Mark Jones, 24, after a stabbing near Briggate on Saturday night left a teenager in hospital."}
	vetoB := news.Item{Source: "b", Title: "Man charged over night-time stabbing in city centre",
		Summary: "Officers in Glasgow charged Peter Smith after a woman was stabbed outside Buchanan Street station in 2019, a court heard."}

	x := newTestIndex(t, Options{})
	h := x.Compare(liftA.Title, liftB.Title).Headline
	c := x.CompareItems(&liftA, &liftB)
	if !(h < DefaultThreshold && inBand(h, DefaultThreshold) && c.Score >= DefaultThreshold) {
		t.Fatalf("lift: headline %.3f, summary %.3f, combined %.3f; want the headline in the band below %v and the pair over it", h, c.Summary, c.Score, DefaultThreshold)
	}
	if got := assignItems(x, liftA, liftB); distinct(got) != 1 {
		t.Error("lift: summaries naming the same things did not join the two")
	}
	bare := []news.Item{liftA, liftB}
	for i := range bare {
		bare[i].Summary = ""
	}
	if got := assignItems(newTestIndex(t, Options{}), bare...); distinct(got) != 2 {
		t.Error("without summaries the two headlines joined: the test's pair is not in the band")
	}
	same := []news.Item{liftA, liftB}
	same[1].Source = same[0].Source
	if got := assignItems(newTestIndex(t, Options{}), same...); distinct(got) != 2 {
		t.Error("one outlet's two summaries lifted its own headlines together")
	}

	x = newTestIndex(t, Options{})
	h = x.Compare(vetoA.Title, vetoB.Title).Headline
	c = x.CompareItems(&vetoA, &vetoB)
	if !(h >= DefaultThreshold && c.Score < DefaultThreshold) {
		t.Fatalf("veto: headline %.3f, summary %.3f, combined %.3f; want the headline over %v and the pair under it", h, c.Summary, c.Score, DefaultThreshold)
	}
	if got := assignItems(x, vetoA, vetoB); distinct(got) != 2 {
		t.Error("veto: summaries naming other people, places and numbers did not keep the two apart")
	}
}

// TestSketch: a summary is its rarest terms, HTML and all; a summary of a
// few words is none.
func TestSketch(t *testing.T) {
	x := newTestIndex(t, Options{})
	if sk := x.sketch("<p>Too <b>short</b></p>"); sk != nil {
		t.Errorf("sketch of two words = %v, want none", sk)
	}
	long := "<p>" + "Volodymyr Zelensky told the UN Security Council on Tuesday that Russian troops had killed 300 civilians in Bucha, and called for a tribunal like Nuremberg. " +
		"He asked the council to act or dissolve itself, and showed a video of bodies in the streets.</p>"
	sk := x.sketch(long)
	if len(sk) != sketchTerms {
		t.Fatalf("sketch has %d terms, want %d", len(sk), sketchTerms)
	}
	var ents, nums int
	for _, term := range sk {
		if term.has(termEntity) {
			ents++
		}
		if term.has(termNumber) {
			nums++
		}
	}
	if ents < 3 || nums != 1 {
		t.Errorf("sketch has %d names and %d numbers, want at least 3 and 1", ents, nums)
	}
	if s, conflict := summaryScore(sk, sk); s != 1 || conflict {
		t.Errorf("a sketch with itself: %v, %v", s, conflict)
	}
}

// TestSketchesSurviveCompaction: a story keeps its own summary's sketch
// when the index prunes and compacts around it.
func TestSketchesSurviveCompaction(t *testing.T) {
	x, err := NewIndex(Options{})
	if err != nil {
		t.Fatal(err)
	}
	items := withSummaries(syntheticHeadlines(2_000))
	for i := range items {
		b := x.Begin()
		b.Assign(&items[i])
		b.Commit()
	}
	x.Prune(items[1_500].Published.Add(x.Window())) // the first 1,500 leave: dead outnumber live
	if x.dead != 0 {
		t.Fatalf("no compaction: %d dead", x.dead)
	}
	checked := 0
	for _, it := range items[1_500:] {
		sid, ok := x.storyIDs[it.Story]
		if !ok || x.stories[sid].first < 0 || it.Story != StoryKey(it.Source, it.GUID) {
			continue // not a story this item started
		}
		if got, want := x.storySketch(&x.stories[sid]), x.sketch(it.Summary); !slices.Equal(got, want) {
			t.Fatalf("story of %q: sketch %v, want %v", it.Title, got, want)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d stories checked", checked)
	}
}
