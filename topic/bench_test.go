package topic

import (
	"fmt"
	"testing"

	"tributary/news"
)

// BenchmarkAssign files headlines with summaries under twelve keyword
// topics, and under those and the eight sections by example
// (examples/sections.yaml's shape: examples each, one exclusive group).
// It reports items per second.
func BenchmarkAssign(b *testing.B) {
	lex := testLexicon(b)
	var set Set
	sections := map[string][]string{
		"world":         {"war troops military ceasefire missile attack refugees", "Rebels seize town as fighting spreads"},
		"politics":      {"election vote parliament senate minister party", "Opposition leader calls for early election"},
		"business":      {"shares profit earnings bank rates inflation oil", "Shares fall as profit warning hits retailer"},
		"technology":    {"software internet chip smartphone app hackers", "Chipmaker unveils faster processor"},
		"science":       {"scientists study space nasa species climate", "Probe sends back images of distant planet"},
		"health":        {"hospital patients drug vaccine cancer virus", "New drug slows spread of cancer in trial"},
		"sports":        {"football league cup goal tennis olympic", "Striker scores twice in cup win"},
		"entertainment": {"film music album singer tv show celebrity", "Band announces reunion tour"},
	}
	for name, like := range sections {
		t, err := New(name, "", Rules{Like: like, Exclusive: "section"}, lex)
		if err != nil {
			b.Fatal(err)
		}
		set = append(set, t)
	}
	for i := range 12 {
		t, err := New(fmt.Sprint("kw", i), "", Rules{Any: []string{fmt.Sprint("word", i), `"two words"`, "pref*"}, None: []string{"football"}}, nil)
		if err != nil {
			b.Fatal(err)
		}
		set = append(set, t)
	}
	items := make([]news.Item, 1000)
	for i := range items {
		items[i] = news.Item{Title: fmt.Sprintf("Minister %d says oil prices will fall as troops leave the border", i),
			Summary: "<p>The minister told parliament on Tuesday that shares in energy companies and the cost of fuel would follow, as talks on a ceasefire resume in Geneva next week.</p>"}
	}
	for _, run := range []struct {
		name string
		set  Set
	}{{"keywords-12", set[len(sections):]}, {"examples-8+keywords-12", set}} {
		b.Run(run.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				run.set.Match(&items[n%len(items)])
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
