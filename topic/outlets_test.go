package topic

import (
	"fmt"
	"testing"
	"time"

	"tributary/news"
)

// TestOutletLabels: a source's declared section comes first, then the
// first category the map knows, then a word of the link's path (not its
// last segment, the article's own slug); a term the map sends to a
// section the config lacks says nothing; "none" is a label.
func TestOutletLabels(t *testing.T) {
	o := NewOutlets(testLexicon(t), []string{"sports", "business"}, map[string]string{"scores": "sports"},
		DefaultSectionMap(), LearnWindow)
	for _, tt := range []struct {
		it   news.Item
		want string
	}{
		{news.Item{Source: "scores", Categories: []string{"Business"}}, "sports"},
		{news.Item{Source: "x", Categories: []string{"Local", " Business "}}, "business"},
		{news.Item{Source: "x", Link: "https://news.example/sport/football/12345"}, "sports"},
		{news.Item{Source: "x", Link: "https://news.example/news/business-53312345"}, "business"},
		{news.Item{Source: "x", Link: "https://news.example/2020/07/07/sport"}, ""}, // the slug says nothing
		{news.Item{Source: "x", Categories: []string{"Technology"}}, ""},            // no such section here
		{news.Item{Source: "x", Categories: []string{"Opinion"}}, NoSection},
		{news.Item{Source: "x", Link: "https://news.example/a/b"}, ""},
	} {
		if got := o.Label(&tt.it); got != tt.want {
			t.Errorf("Label(%+v) = %q, want %q", tt.it, got, tt.want)
		}
	}
}

// TestOutletsTeach: items their outlets labelled file themselves and
// teach their section its words, so an unlabelled item in those words
// joins the section though no example holds them; what leaves the week
// is forgotten; an item labelled "none" is filed in no section by
// example; Learned counts what each section learned from.
func TestOutletsTeach(t *testing.T) {
	lex := testLexicon(t).WithConfidence(nil)
	sports, _ := New("sports", "", Rules{Like: []string{"Striker scores twice as United win the cup final"}, Exclusive: "section"}, lex)
	business, _ := New("business", "", Rules{Like: []string{"Shares fall as carmaker cuts profit forecast"}, Exclusive: "section"}, lex)
	o := NewOutlets(lex, []string{"sports", "business"}, nil, DefaultSectionMap(), LearnWindow)
	set := Set{sports, business}.LearnFrom(o)
	unlabelled := &news.Item{Title: "Peloton leaders sprint clear on the mountain stage"}
	if got := fmtList(set.Match(unlabelled)); got != "[]" {
		t.Fatalf("before learning: %s", got)
	}
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for i := range 6 {
		it := &news.Item{Title: fmt.Sprintf("Stage %d: peloton chases the leaders up the mountain in a sprint", i),
			Categories: []string{"Sport"}, Published: at.Add(time.Duration(i) * time.Hour)}
		o.Learn(it, o.Label(it))
		if d := set.Decide(it)[0]; !d.In || d.Outlet != "sports" {
			t.Fatalf("a labelled item is not filed by its label: %+v", d)
		}
	}
	if got := fmtList(set.Match(unlabelled)); got != "[sports]" {
		t.Errorf("after learning: %s, want [sports]", got)
	}
	if n := o.Learned()["sports"]; n != 6 {
		t.Errorf("Learned = %v", o.Learned())
	}
	opinion := &news.Item{Title: "Striker scores twice as United win the cup final", Categories: []string{"Opinion"}}
	if got := fmtList(set.Match(opinion)); got != "[]" {
		t.Errorf("an item its outlet filed under no section: %s", got)
	}
	// A week later the peloton is forgotten.
	late := &news.Item{Title: "Carmaker profit", Categories: []string{"Business"}, Published: at.Add(LearnWindow + 7*time.Hour)}
	o.Learn(late, o.Label(late))
	if got := fmtList(set.Match(unlabelled)); got != "[]" || o.Learned()["sports"] != 0 {
		t.Errorf("after a week: %s, learned %v", got, o.Learned())
	}
}

// TestOutletsBounded: what is learned is the week's labelled items, at
// most maxLearned: items past the week go, and the room they leave is
// used before any item of the week is.
func TestOutletsBounded(t *testing.T) {
	o := NewOutlets(testLexicon(t), []string{"sports"}, nil, DefaultSectionMap(), LearnWindow)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	learn := func(n int, when time.Time) {
		for range n {
			o.Learn(&news.Item{Title: "Cup final", Published: when}, "sports")
		}
	}
	learn(15_000, at)
	learn(5_000, at.Add(8*24*time.Hour)) // the first 15,000 leave the week
	learn(3_000, at.Add(8*24*time.Hour+time.Hour))
	if n := o.Learned()["sports"]; n != 8_000 {
		t.Errorf("learned %d, want the week's 8,000", n)
	}
	learn(maxLearned, at.Add(9*24*time.Hour))
	if n := o.Learned()["sports"]; n != maxLearned {
		t.Errorf("learned %d, want at most %d", n, maxLearned)
	}
}
