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
