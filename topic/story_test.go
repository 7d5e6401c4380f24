package topic

import (
	"testing"

	"tributary/news"
)

// TestMatchStory: a story's topics by example come from all its items
// together; rules, and an outlet's label, stay each item's own; a story
// of one item is filed as Match files it.
func TestMatchStory(t *testing.T) {
	lex := testLexicon(t).WithConfidence(nil)
	health, _ := New("health", "", Rules{Like: []string{"clinical trial hospital patients doctors"}, Exclusive: "section"}, lex)
	sports, _ := New("sports", "", Rules{Like: []string{"football match striker goals champions league benfica"}, Exclusive: "section"}, lex)
	rule, _ := New("hospitals", "", Rules{Any: []string{"hospital"}}, lex)
	o := NewOutlets(lex, []string{"health", "sports"}, nil, DefaultSectionMap(), LearnWindow)
	set := Set{health, sports, rule}.LearnFrom(o)
	odd := news.Item{Title: "Clinical display as hospital patients watch the pressure"}
	match := news.Item{Title: "Benfica beaten in Champions League football match as striker scores twice"}
	if got := fmtList(set.MatchStory([]news.Item{odd})[0]); got != fmtList(set.Match(&odd)) || got != "[health hospitals]" {
		t.Errorf("a story of one: %s", got)
	}
	got := set.MatchStory([]news.Item{odd, match})
	if fmtList(got[0]) != "[hospitals sports]" || fmtList(got[1]) != "[sports]" {
		t.Errorf("together: %v", got)
	}
	labelled := news.Item{Title: odd.Title, Categories: []string{"Health"}}
	got = set.MatchStory([]news.Item{labelled, match})
	if fmtList(got[0]) != "[health hospitals]" || fmtList(got[1]) != "[sports]" {
		t.Errorf("an item its outlet labelled keeps its label in its group: %v", got)
	}
}

// TestMatchStoryKeepsItemFilters: a story's topics by example reach an
// item only where the item's own sources, none terms and outlet allow
// them; a labelled section takes its group's keyword topic out too.
func TestMatchStoryKeepsItemFilters(t *testing.T) {
	lex := testLexicon(t).WithConfidence(nil)
	local, _ := New("local", "", Rules{Like: []string{"council harbour wall rebuilt mayor"}, Sources: []string{"gazette", "herald"}}, lex)
	sports, _ := New("sports", "", Rules{Like: []string{"football match striker goals"}, None: []string{"betting"}, Exclusive: "section"}, lex)
	cricket, _ := New("cricket", "", Rules{Any: []string{"wicket"}, Exclusive: "section"}, nil)
	business, _ := New("business", "", Rules{Like: []string{"shares profit"}, Exclusive: "section"}, lex)
	o := NewOutlets(lex, []string{"local", "sports", "business"}, nil, DefaultSectionMap(), LearnWindow)
	set := Set{local, sports, cricket, business}.LearnFrom(o)
	a := news.Item{Source: "gazette", Title: "Council votes to rebuild the harbour wall"}
	b := news.Item{Source: "herald", Title: "Mayor backs harbour wall rebuild by the council"}
	if got := set.MatchStory([]news.Item{a, b}); fmtList(got[0]) != "[local]" || fmtList(got[1]) != "[local]" {
		t.Errorf("a topic of sources and examples: %v, want both in local", got)
	}
	c := news.Item{Source: "x", Title: "Striker scores twice as football match ends in goals"}
	d := news.Item{Source: "y", Title: "Football match: striker goals, betting odds shorten"}
	if got := set.MatchStory([]news.Item{c, d}); fmtList(got[0]) != "[sports]" || fmtList(got[1]) != "[]" {
		t.Errorf("a none term of one copy: %v, want sports for the first only", got)
	}
	e := news.Item{Source: "z", Title: "Striker scores twice as football match ends in goals", Categories: []string{"Opinion"}}
	if got := set.MatchStory([]news.Item{c, e}); fmtList(got[0]) != "[sports]" || fmtList(got[1]) != "[]" {
		t.Errorf("an item its outlet filed under no section: %v", got)
	}
	f := news.Item{Source: "z", Title: "Wicket falls as shares in the club rise", Categories: []string{"Business"}}
	if got := fmtList(set.Match(&f)); got != "[business]" {
		t.Errorf("a labelled section and a keyword topic of its group: %s, want business alone", got)
	}
}
