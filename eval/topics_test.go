package eval

import (
	"strings"
	"testing"

	"tributary/config"
	"tributary/internal/shared"
	"tributary/text"
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
		{Title: "Rebels of rock release an album", Label: "none"}, // a label no topic gives
		{Title: "Quiet night", Label: "none"},
	}
	r := ScoreTopics(items, topic.Set{war, sport}, map[string]string{"war": "w", "sport": "s"})
	if r.Coverage != round4(4.0/6) || r.Accuracy != 0.5 || r.Unmapped != 2 || r.UnmappedFiled != 0.5 {
		t.Errorf("coverage %v, precision over filed %v, no-label items %d filed %v", r.Coverage, r.Accuracy, r.Unmapped, r.UnmappedFiled)
	}
	if want := round4((0.4 + round4(2.0/3)) / 2); r.MacroF1 != want { // w: P 1/3 R 1/2; s: P 1 R 1/2; none left out
		t.Errorf("macro-F1 %v, want %v over w and s only", r.MacroF1, want)
	}
	r = ScoreTopics(items[:4], topic.Set{war, sport}, map[string]string{"war": "w", "sport": "s"})
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

// TestJudgedSections files the judged days of the shared RSS stream with
// the project's sections (examples/sections.yaml) by example alone (no
// outlet's label: topic.Outlets) and holds the calibration to what it was
// chosen for: precision over filed
// items at least 0.85 on the days together, and few items of no section
// filed (at most 5%). The days are those the calibration was fitted on
// (topic/confidence.json says how each did held out): a guard, not a
// measure.
func TestJudgedSections(t *testing.T) {
	days, err := LoadDays(shared.Path(t, "streams/rss-2020.csv.gz"), "testdata/judged/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	topics, err := config.LoadTopics("../examples/sections.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bg, err := text.BuiltinBackground()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := topic.NewLexicon(bg)
	if err != nil {
		t.Fatal(err)
	}
	var set topic.Set
	labels := map[string]string{}
	for _, c := range topics {
		tp, err := topic.New(c.Name, c.Title, c.Rules(), lex)
		if err != nil {
			t.Fatal(err)
		}
		set = append(set, tp)
		labels[c.Name] = c.Name
	}
	var items []TopicItem
	for _, d := range days {
		items = append(items, Sections(d.Items)...)
	}
	r := ScoreTopics(items, set, labels)
	t.Logf("judged days: items %d, coverage %.3f, precision over filed %.3f, macro-F1 %.3f, no-section items filed %.3f",
		r.Items, r.Coverage, r.Accuracy, r.MacroF1, r.UnmappedFiled)
	if r.Accuracy < 0.85 || r.UnmappedFiled > 0.05 || r.Unmapped < 500 {
		t.Errorf("precision over filed %.3f (want at least 0.85), no-section items %d filed %.3f (want at most 0.05)",
			r.Accuracy, r.Unmapped, r.UnmappedFiled)
	}
}
