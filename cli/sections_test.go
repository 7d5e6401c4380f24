package cli

import (
	"strings"
	"testing"

	"tributary/config"
	"tributary/news"
)

// TestSectionsFile: examples/sections.yaml loads as a topics file and as
// an include, and files plain headlines into the sections they belong to.
func TestSectionsFile(t *testing.T) {
	topics, err := config.LoadTopics("../examples/sections.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, _, err := buildTopics(&config.Config{Topics: topics})
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != 8 {
		t.Fatalf("%d sections, want 8", len(set))
	}
	for headline, want := range map[string]string{
		"Striker scores twice as City win the cup final":        "sports",
		"Central bank raises interest rates to curb inflation":  "business",
		"Rebels shell the border town as ceasefire talks stall": "world",
		"Hospital trial finds new drug slows cancer":            "health",
	} {
		if got := strings.Join(set.Match(&news.Item{Title: headline}), ","); got != want {
			t.Errorf("%q filed under %q, want %q", headline, got, want)
		}
	}
}
