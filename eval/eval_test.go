package eval

import (
	"compress/gzip"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"tributary/dedupe"
	"tributary/internal/shared"
)

func TestReadPairs(t *testing.T) {
	f, err := os.Open("testdata/pairs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, err := ReadPairs(f)
	if err != nil {
		t.Fatal(err)
	}
	// The header, the 3.4 and the blank score are skipped.
	if len(pairs) != 6 {
		t.Fatalf("pairs = %d, want 6", len(pairs))
	}
	if !pairs[0].Same || pairs[3].Same {
		t.Errorf("labels wrong: %+v", pairs)
	}
	if _, err := ReadPairs(strings.NewReader("x\ty\tz\nnot-a-score\ta\tb\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad score: err = %v, want it to name line 2", err)
	}
}

func TestReadPairsCSV(t *testing.T) {
	in := "title_a,summary_a,outlet_a,published_a,title_b,summary_b,outlet_b,published_b,same\n" +
		"Volcano erupts,Lava flows.,A,2026-01-01T10:00:00Z,Eruption in Iceland,The volcano erupted.,B,2026-01-01T11:00:00Z,1\n" +
		"Rates held,,A,,Team wins cup,,B,,no\n" +
		"x,,,,y,,,,\n"
	pairs, err := ReadPairs(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 2 || !pairs[0].Same || pairs[1].Same {
		t.Fatalf("pairs = %+v: want two, the first one event (the unjudged row skipped)", pairs)
	}
	a := pairs[0].A
	if a.Summary != "Lava flows." || a.Source != "A" || !a.Time.Equal(time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("first side = %+v", a)
	}
	if _, err := ReadPairs(strings.NewReader("title_a,title_b,same\nx,y,maybe\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad judgement: err = %v, want it to name line 2", err)
	}
	sims, err := Similarities(dedupe.Options{}, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if sims[0] <= sims[1] {
		t.Errorf("probabilities %v: the pair of one event should score above the other", sims)
	}
}

func TestJudged(t *testing.T) {
	items, err := ReadStories(strings.NewReader("id,title,outlet\na,Volcano erupts,A\nb,Eruption in Iceland,B\nc,Rates held,C\n"))
	if err != nil {
		t.Fatal(err)
	}
	if HasStories(items) {
		t.Error("a file without a story column has stories")
	}
	judged, err := ReadJudged(strings.NewReader("id,event,section\na,e1,world\nb,e1,world\nz,e9,none\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := Judge(items, judged)
	if len(got) != 2 || got[0].Story != "e1" || got[1].Section != "world" || !HasStories(got) {
		t.Errorf("judged = %+v: want a and b, of event e1", got)
	}
}

func TestDescribe(t *testing.T) {
	items := []Labelled{{Title: "a", Source: "x"}, {Title: "b", Source: "y"}, {Title: "c", Source: "x"}, {Title: "d", Source: "x"}}
	c := &Clustering{Stories: []string{"s1", "s1", "s2", "s1"}}
	m := Describe(c, items, 1)
	if m.Stories != 2 || len(m.Largest) != 1 || len(m.Largest[0].Items) != 3 || m.Largest[0].Outlets != 2 {
		t.Errorf("made = %+v", m)
	}
	if want := []SizeCount{{1, 1}, {3, 1}}; !slices.Equal(m.Sizes, want) {
		t.Errorf("sizes = %v, want %v", m.Sizes, want)
	}
	if same := SameStories([]string{"a", "a", "b"}, []string{"x", "x", "y"}); same != 1 {
		t.Errorf("the same partition under other keys: %v", same)
	}
	if same := SameStories([]string{"a", "a", "b"}, []string{"x", "y", "y"}); same != 0 {
		t.Errorf("every item's story changed: %v", same)
	}
}

func TestScorePairs(t *testing.T) {
	f, _ := os.Open("testdata/pairs.tsv")
	defer f.Close()
	pairs, _ := ReadPairs(f)
	sims, err := Similarities(dedupe.Options{}, pairs)
	if err != nil {
		t.Fatal(err)
	}
	r := ScorePairs(pairs, sims, model(t).Threshold)
	// No wrong merge. One same-story pair is missed: "quake" and
	// "earthquake" are different words to the engine, and with "strikes"
	// against "magnitude" the Taiwan pair scores below the threshold.
	if r.Pairs != 6 || r.Precision != 1 || r.Recall < 0.66 {
		t.Errorf("own pairs at the default threshold: %+v, want precision 1, recall 2/3", r)
	}
	everything := ScorePairs(pairs, sims, 0)
	if everything.Recall != 1 || everything.Precision != 0.5 {
		t.Errorf("threshold 0 merges all: %+v", everything)
	}
}

func TestStories(t *testing.T) {
	f, err := os.Open("testdata/stories.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := ReadStories(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 7 || items[1].Source != "BBC" || !items[0].Time.Equal(time.UnixMilli(1764230400000).UTC()) {
		t.Fatalf("items = %+v", items)
	}
	c, err := Cluster(dedupe.Options{}, items, Order{})
	if err != nil {
		t.Fatal(err)
	}
	r := ScoreStories(items, c.Stories, time.Second)
	want := StoriesResult{Items: 7, Stories: 4, PairPrecision: 1, PairRecall: 1, PairF1: 1,
		BCubedPrecision: 1, BCubedRecall: 1, BCubedF1: 1, Seconds: 1}
	if r != want {
		t.Errorf("result = %+v, want %+v", r, want)
	}
}

func TestScoreStoriesMetrics(t *testing.T) {
	items := []Labelled{{Story: "a"}, {Story: "a"}, {Story: "b"}, {Story: "b"}}
	// One wrong merge of everything: pairs 2 right of 6 predicted.
	r := ScoreStories(items, []string{"x", "x", "x", "x"}, 0)
	if r.PairPrecision != round4(2.0/6) || r.PairRecall != 1 || r.BCubedPrecision != 0.5 || r.BCubedRecall != 1 {
		t.Errorf("all merged: %+v", r)
	}
	r = ScoreStories(items, []string{"1", "2", "3", "4"}, 0)
	if r.PairRecall != 0 || r.BCubedPrecision != 1 || math.Abs(r.BCubedRecall-0.5) > 1e-9 {
		t.Errorf("all apart: %+v", r)
	}
}

func TestReadStoriesErrors(t *testing.T) {
	tests := map[string]string{
		"headline,label\nx,y\n":                  `need a "title" column`,
		"title,story,timestamp\nx,y,yesterday\n": "line 2: bad timestamp",
		"title,story\n":                          "no headlines found",
	}
	for in, want := range tests {
		if _, err := ReadStories(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadStories(%q) = %v, want error containing %q", in, err, want)
		}
	}
}

// TestSharedHeadlines scores the engine on the public labelled headlines
// kept beside the project, with the default settings: precision at least
// 0.90 on the human-scored STS 2013 pairs (the held-back pairs' target)
// and, on the UCI story clusters, pair precision above 0.85, since merging
// two different stories is the worse mistake. STS recall is held above
// 0.50 only against collapse: the model's threshold is chosen on judged
// days of real items with text (dedupe/model.json), and headline-only
// pairs' recall (0.549 at 0.96; 0.661 at 0.94) falls short of the 0.65
// aimed at — README, "Near-duplicate stories".
func TestSharedHeadlines(t *testing.T) {
	pairs := readShared(t, "headlines/sts2013-headlines.tsv", ReadPairs)
	sims, err := Similarities(dedupe.Options{}, pairs)
	if err != nil {
		t.Fatal(err)
	}
	r := ScorePairs(pairs, sims, model(t).Threshold)
	t.Logf("STS 2013: %+v", r)
	if r.Precision < 0.90 || r.Recall < 0.50 {
		t.Errorf("STS 2013 at the defaults: precision %.3f, recall %.3f; want at least 0.90 and 0.50", r.Precision, r.Recall)
	}

	items := readShared(t, "headlines/uci-dev.csv", ReadStories)
	start := time.Now()
	c, err := Cluster(dedupe.Options{}, items, Order{})
	if err != nil {
		t.Fatal(err)
	}
	s := ScoreStories(items, c.Stories, time.Since(start))
	t.Logf("UCI dev: %+v", s)
	if s.PairPrecision < 0.85 {
		t.Errorf("UCI pair precision %.3f, want at least 0.85", s.PairPrecision)
	}
}

// readSharedGz reads a gzip-compressed file of the public test data kept
// beside the project with read.
func readSharedGz[T any](t *testing.T, name string, read func(io.Reader) (T, error)) T {
	t.Helper()
	f, err := os.Open(shared.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	v, err := read(zr)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// readShared reads a file of the public test data kept beside the project
// (internal/shared) with read.
func readShared[T any](t *testing.T, name string, read func(io.Reader) (T, error)) T {
	t.Helper()
	f, err := os.Open(shared.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// model returns the built-in model.
func model(t *testing.T) *dedupe.Model {
	t.Helper()
	m, err := dedupe.BuiltinModel()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
