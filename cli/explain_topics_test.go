package cli

import (
	"strings"
	"testing"

	"tributary/config"
	"tributary/news"
)

// TestExplainTopics: explain says, per topic, in or out and why — the
// rule, the score by example and its terms, how sure it is, the
// exclusive group's choice.
func TestExplainTopics(t *testing.T) {
	cfg := &config.Config{Topics: []config.Topic{
		{Name: "ukraine", Any: []string{"kyiv"}},
		{Name: "sports", Like: []string{"Striker scores twice as United win the cup final"}, Exclusive: "section"},
		{Name: "business", Like: []string{"Shares fall as carmaker cuts profit forecast"}, Exclusive: "section"},
	}}
	topics, _, err := buildTopics(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	writeTopics(&b, "topics:", topics.Decide(&news.Item{Title: "Striker scores twice in cup final in Kyiv"}))
	got := b.String()
	for _, want := range []string{"in   ukraine              rule any: kyiv", "in   sports               score ", "): sure", "out  business"} {
		if !strings.Contains(got, want) {
			t.Errorf("explain topics:\n%s\nwant a line with %q", got, want)
		}
	}
	// An item torn between the two sections joins neither, and says why.
	b.Reset()
	writeTopics(&b, "topics:", topics.Decide(&news.Item{Title: "United striker's shares fall after cup final profit forecast"}))
	if got := b.String(); !strings.Contains(got, "not sure enough") || strings.Contains(got, "in   sports") || strings.Contains(got, "in   business") {
		t.Errorf("explain topics of a torn item:\n%s", got)
	}
}
