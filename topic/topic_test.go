package topic

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"tributary/news"
)

func TestParseTermErrors(t *testing.T) {
	tests := []struct {
		term, want string
	}{
		{"/(unclosed/", "bad regexp /(unclosed/: missing closing ): (unclosed"},
		{`"  "`, "empty term"},
		{"two words*", "bad prefix"},
		{"***", "empty term"},
	}
	for _, tt := range tests {
		_, err := ParseTerm(tt.term)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseTerm(%q) = %v, want error containing %q", tt.term, err, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	item := func(source, title, summary string, cats ...string) *news.Item {
		return &news.Item{Source: source, Title: title, Summary: summary, Categories: cats}
	}
	tests := []struct {
		name  string
		rules Rules
		item  *news.Item
		want  bool
	}{
		{"word any case", Rules{Any: []string{"ukraine"}}, item("a", "UKRAINE talks", ""), true},
		{"whole word only", Rules{Any: []string{"ai"}}, item("a", "Spain and Thailand", ""), false},
		{"word in summary html", Rules{Any: []string{"kyiv"}}, item("a", "Talks", "<p>In <b>Kyiv</b> today</p>"), true},
		{"word in category", Rules{Any: []string{"climate"}}, item("a", "Heat", "", "Climate"), true},
		{"possessive", Rules{Any: []string{"zelensky"}}, item("a", "Zelensky's plan", ""), true},
		{"prefix", Rules{Any: []string{"zelensk*"}}, item("a", "Zelenskyy speaks", ""), true},
		{"prefix is a word start", Rules{Any: []string{"lensk*"}}, item("a", "Zelenskyy speaks", ""), false},
		{"phrase", Rules{Any: []string{`"peace talks"`}}, item("a", "New peace talks begin", ""), true},
		{"phrase words apart", Rules{Any: []string{`"peace talks"`}}, item("a", "Peace and more talks", ""), false},
		{"phrase never spans fields", Rules{Any: []string{`"geneva talks"`}}, item("a", "Meeting in Geneva", "Talks begin"), false},
		{"hyphenated word is a phrase", Rules{Any: []string{"covid-19"}}, item("a", "Covid 19 cases rise", ""), true},
		{"regexp case-insensitive", Rules{Any: []string{`/\bputin\b/`}}, item("a", "Putin says", ""), true},
		{"regexp word boundary", Rules{Any: []string{`/\bputin\b/`}}, item("a", "Rasputin film", ""), false},
		{"none excludes", Rules{Any: []string{"kyiv"}, None: []string{"football"}}, item("a", "Football: Kyiv side wins", ""), false},
		{"all requires every", Rules{All: []string{"rates", "bank"}}, item("a", "Bank holds rates", ""), true},
		{"all missing one", Rules{All: []string{"rates", "bank"}}, item("a", "Rates rise", ""), false},
		{"sources only", Rules{Sources: []string{"b"}}, item("b", "anything", ""), true},
		{"sources filter", Rules{Any: []string{"x"}, Sources: []string{"b"}}, item("a", "x", ""), false},
		{"unicode", Rules{Any: []string{"zürich"}}, item("a", "Flooding in ZÜRICH", ""), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, err := New("t", "", tt.rules, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := tp.Match(NewDoc(tt.item)); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	if _, err := New("t", "", Rules{None: []string{"x"}}, nil); !errors.Is(err, ErrNoRules) {
		t.Errorf("none-only rules: err = %v, want ErrNoRules", err)
	}
	_, err := New("t", "", Rules{Any: []string{"ok", "/(/"}}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "any[1]: bad regexp") {
		t.Errorf("bad term: err = %v, want it named any[1]", err)
	}
}

func TestSetMatchSorted(t *testing.T) {
	b, _ := New("b", "", Rules{Any: []string{"x"}}, nil)
	a, _ := New("a", "", Rules{Any: []string{"x"}}, nil)
	c, _ := New("c", "", Rules{Any: []string{"y"}}, nil)
	got := Set{b, c, a}.Match(&news.Item{Title: "x"})
	if fmt.Sprint(got) != "[a b]" {
		t.Errorf("Match = %v, want [a b]", got)
	}
}

func Example() {
	ukraine, _ := New("ukraine", "Ukraine war", Rules{
		Any:  []string{"kyiv", "zelensk*", `"peace talks"`, `/\bputin\b/`},
		None: []string{"football"},
	}, nil)
	topics := Set{ukraine}
	fmt.Println(topics.Match(&news.Item{Title: "Zelenskyy meets Putin for peace talks"}))
	fmt.Println(topics.Match(&news.Item{Title: "Football: Kyiv side reaches final"}))
	// Output:
	// [ukraine]
	// []
}
