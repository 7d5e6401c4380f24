package eval

import (
	"strings"
	"testing"

	"tributary/topic"
)

func TestReadTopicsAndMap(t *testing.T) {
	items, err := ReadTopics(strings.NewReader("Label,Title,Description\n1,Rebels seize town,Fighting spreads\n2,United win cup,\n,no label,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].Label != "1" || items[0].Description != "Fighting spreads" {
		t.Fatalf("items = %+v", items)
	}
	if _, err := ReadTopics(strings.NewReader("title,text\nx,y\n")); err == nil {
		t.Error("no label column: no error")
	}
	m, err := ParseMap("1=world+politics,2=sports")
	if err != nil || m["world"] != "1" || m["politics"] != "1" || m["sports"] != "2" {
		t.Errorf("ParseMap = %v, %v", m, err)
	}
	for _, bad := range []string{"1", "=x", "1=a,2=a"} {
		if _, err := ParseMap(bad); err == nil {
			t.Errorf("ParseMap(%q): no error", bad)
		}
	}
}

// TestScoreTopics: coverage, accuracy over covered items, per-label
// precision and recall (an uncovered item is a miss), the confusion table.
func TestScoreTopics(t *testing.T) {
	war, _ := topic.New("war", "", topic.Rules{Any: []string{"rebels"}}, nil)
	sport, _ := topic.New("sport", "", topic.Rules{Any: []string{"cup"}}, nil)
	items := []TopicItem{
		{Title: "Rebels seize town", Label: "w"},
		{Title: "Rebels win the cup", Label: "s"}, // both match: the first listed wins the tie
		{Title: "United win cup", Label: "s"},
		{Title: "Quiet day", Label: "w"},
	}
	r := ScoreTopics(items, topic.Set{war, sport}, map[string]string{"war": "w", "sport": "s"})
	if r.Coverage != 0.75 || r.Accuracy != round4(2.0/3) {
		t.Errorf("coverage %v accuracy %v", r.Coverage, r.Accuracy)
	}
	if w := r.PerTopic["w"]; w.Precision != 0.5 || w.Recall != 0.5 {
		t.Errorf("w: %+v", w)
	}
	if s := r.PerTopic["s"]; s.Precision != 1 || s.Recall != 0.5 {
		t.Errorf("s: %+v", s)
	}
	if r.Confusion["w"]["-"] != 1 || r.Confusion["s"]["w"] != 1 {
		t.Errorf("confusion %v", r.Confusion)
	}
}
