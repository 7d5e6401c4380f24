package topic

import (
	"testing"

	"tributary/news"
	"tributary/text"
)

func testLexicon(t testing.TB) *Lexicon {
	t.Helper()
	bg, err := text.BuiltinBackground()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := NewLexicon(bg)
	if err != nil {
		t.Fatal(err)
	}
	return lex
}

// TestByExample: an item joins a topic by its examples' words, weighted
// by rarity; an exclusive group keeps it in the best-scoring topic only;
// none still excludes; rules still match on their own; the decision says
// which terms and which rule. (Without calibration: TestConfidence
// tests what being sure adds.)
func TestByExample(t *testing.T) {
	lex := testLexicon(t).WithConfidence(nil)
	sports, err := New("sports", "", Rules{Like: []string{"Striker scores twice as United win the cup final"}, Exclusive: "section"}, lex)
	if err != nil {
		t.Fatal(err)
	}
	business, err := New("business", "", Rules{Like: []string{"Shares fall as carmaker cuts profit forecast"}, Any: []string{"dividend"},
		None: []string{"football"}, Exclusive: "section"}, lex)
	if err != nil {
		t.Fatal(err)
	}
	set := Set{sports, business}
	tests := []struct {
		title string
		want  string
	}{
		{"Striker's late goal wins the cup for United", "[sports]"},
		{"Carmaker's shares fall after profit warning", "[business]"},
		{"Weather stays mild for the weekend", "[]"},
		{"Club pays first dividend", "[business]"},                 // by rule, with no example's word
		{"Football club's shares fall after cup exit", "[sports]"}, // none: keeps it out of business
	}
	for _, tt := range tests {
		if got := fmtList(set.Match(&news.Item{Title: tt.title})); got != tt.want {
			t.Errorf("%q: %s, want %s", tt.title, got, tt.want)
		}
	}
	// Exclusive: a headline of both sections' words lands in one.
	both := &news.Item{Title: "United striker's shares fall after cup final profit forecast"}
	ds := set.Decide(both)
	if ds[0].In == ds[1].In {
		t.Fatalf("exclusive group: %+v", ds)
	}
	loser := ds[0]
	if loser.In {
		loser = ds[1]
	}
	if loser.LostTo == "" || loser.Score == 0 {
		t.Errorf("the other topic says nothing of why: %+v", loser)
	}
	d := set.Decide(&news.Item{Title: "Striker scores twice in final"})[0]
	if !d.In || d.Rule != "" || len(d.Terms) == 0 || d.Terms[0] == "" || d.Score < d.MinScore {
		t.Errorf("by example: %+v", d)
	}
	d = set.Decide(&news.Item{Title: "Club pays first dividend"})[1]
	if !d.In || d.Rule != "any: dividend" {
		t.Errorf("by rule: %+v", d)
	}
}

// TestConfidence: with the built-in calibration an item joins a topic by
// example only when sure — a clear item joins, one torn between two
// sections of a group joins neither and says so, with the confidence and
// the threshold; a topic's min_confidence moves the bar; a rule's match
// needs no confidence.
func TestConfidence(t *testing.T) {
	lex := testLexicon(t)
	section := func(name string, minConf float64, like ...string) *Topic {
		tp, err := New(name, "", Rules{Like: like, Exclusive: "section", MinConfidence: minConf}, lex)
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	sportsLike := []string{"Striker scores twice as United win the cup final", "football league match goal coach manager club fans stadium"}
	businessLike := []string{"Shares fall as carmaker cuts profit forecast", "shares stocks markets investors profit revenue earnings"}
	set := Set{section("sports", 0, sportsLike...), section("business", 0, businessLike...)}
	clear := set.Decide(&news.Item{Title: "Striker's late goal wins the cup final for United as fans storm the stadium"})[0]
	if !clear.In || clear.Confidence < clear.MinConfidence || clear.MinConfidence != lex.Confidence().Threshold || clear.Unsure {
		t.Errorf("a clear sports item: %+v", clear)
	}
	torn := set.Decide(&news.Item{Title: "United striker's shares fall after cup final profit forecast"})
	for _, d := range torn {
		if d.In {
			t.Errorf("an item torn between two sections is in %s: %+v", d.Topic, d)
		}
	}
	if w := torn[0]; !w.Unsure && !torn[1].Unsure {
		t.Errorf("neither decision says it was unsure: %+v", torn)
	}
	lenient := Set{section("sports", 0.01, sportsLike...), section("business", 0.01, businessLike...)}
	if got := fmtList(lenient.Match(&news.Item{Title: "United striker's shares fall after cup final profit forecast"})); got == "[]" {
		t.Error("min_confidence 0.01 still files the torn item nowhere")
	}
}

func fmtList(l []string) string {
	s := "["
	for i, x := range l {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s + "]"
}

// TestLikeNeedsLexicon: examples without a lexicon are a clear error.
func TestLikeNeedsLexicon(t *testing.T) {
	if _, err := New("t", "", Rules{Like: []string{"x y"}}, nil); err == nil {
		t.Error("no error")
	}
}
