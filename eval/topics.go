package eval

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"tributary/news"
	"tributary/topic"
)

// TopicItem is a headline labelled with the topic people filed it under.
type TopicItem struct {
	Title, Description string
	Label              string
	Link               string   // where the outlet published it, if known: its path may name its section
	Categories         []string // the outlet's category terms, if known
}

// Item returns the headline as the daemon files it.
func (it TopicItem) Item() *news.Item {
	return &news.Item{Title: it.Title, Summary: it.Description, Link: it.Link, Categories: it.Categories}
}

// ReadTopics reads a CSV file with a header. Columns are found by name,
// in any case: title and topic (or label, or category: the true label)
// are required; description (or summary), link (or url) and categories
// (the outlet's category terms, separated by "|") optional: a daemon
// reads an item's section from its link and categories too
// (topic.Outlets).
func ReadTopics(r io.Reader) ([]TopicItem, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, err
	}
	title, label := t.column("title"), t.column("topic", "label", "category")
	if !title.ok || !label.ok {
		return nil, errors.New(`header: need "title" and "topic" (or "label", "category") columns`)
	}
	desc, link, cats := t.column("description", "summary"), t.column("link", "url"), t.column("categories")
	var out []TopicItem
	for {
		rec, err := t.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		it := TopicItem{Title: title.in(rec), Label: label.in(rec), Description: desc.in(rec), Link: link.in(rec)}
		if c := cats.in(rec); c != "" {
			it.Categories = strings.Split(c, "|")
		}
		if it.Title != "" && it.Label != "" {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no labelled headlines found")
	}
	return out, nil
}

// ParseMap reads "label=topic[+topic],..." into each topic's label.
func ParseMap(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		label, topics, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || label == "" || topics == "" {
			return nil, fmt.Errorf("-map: %q: want label=topic[+topic]", part)
		}
		for _, t := range strings.Split(topics, "+") {
			if prev, dup := out[t]; dup && prev != label {
				return nil, fmt.Errorf("-map: topic %s mapped to both %s and %s", t, prev, label)
			}
			out[t] = label
		}
	}
	return out, nil
}

// TopicsResult is how well the topics file labelled headlines.
type TopicsResult struct {
	Items    int     `json:"items"`
	Coverage float64 `json:"coverage"` // share of items given a mapped topic
	Accuracy float64 `json:"accuracy"` // of covered items, the share given their label: precision over filed items
	MacroF1  float64 `json:"macro_f1"` // over the labels a topic maps to
	// Unmapped is how many items carry a label no topic maps to (such as
	// "none": no section), and UnmappedFiled the share of them filed
	// under some topic anyway.
	Unmapped      int                       `json:"unmapped"`
	UnmappedFiled float64                   `json:"unmapped_filed"`
	PerTopic      map[string]Scores         `json:"per_topic"` // by label
	Confusion     map[string]map[string]int `json:"confusion"` // true label -> given label ("-" for none) -> items
}

// ScoreTopics files each item as the daemon would (the set's decisions,
// exclusive groups included) and compares the label of its best-scoring
// mapped topic with its true label. Topics absent from labels count for
// nothing; items whose label no topic maps to ("none") can only be
// missed or filed wrongly: they count against precision, not in the
// macro-F1, and UnmappedFiled says how many were filed.
func ScoreTopics(items []TopicItem, set topic.Set, labels map[string]string) TopicsResult {
	r := TopicsResult{Items: len(items), PerTopic: map[string]Scores{}, Confusion: map[string]map[string]int{}}
	tp, fp, fn := map[string]float64{}, map[string]float64{}, map[string]float64{}
	var covered, correct, unmappedFiled int
	mapped := map[string]bool{}
	for _, l := range labels {
		mapped[l] = true
	}
	for _, it := range items {
		given := "-"
		best := -1.0
		for _, d := range set.Decide(it.Item()) {
			l, ok := labels[d.Topic]
			if d.In && ok && d.Score > best {
				given, best = l, d.Score
			}
		}
		if r.Confusion[it.Label] == nil {
			r.Confusion[it.Label] = map[string]int{}
		}
		r.Confusion[it.Label][given]++
		if given != "-" {
			covered++
		}
		if !mapped[it.Label] {
			r.Unmapped++
			if given != "-" {
				unmappedFiled++
			}
		}
		if given == it.Label {
			correct++
			tp[it.Label]++
			continue
		}
		fn[it.Label]++
		if given != "-" {
			fp[given]++
		}
	}
	var all []string
	for l := range r.Confusion {
		all = append(all, l)
	}
	sort.Strings(all)
	var sum float64
	var n int
	for _, l := range all {
		s := scores(tp[l], fp[l], fn[l])
		s.Precision, s.Recall, s.F1 = round4(s.Precision), round4(s.Recall), round4(s.F1)
		r.PerTopic[l] = s
		if mapped[l] {
			sum += s.F1
			n++
		}
	}
	if r.Unmapped > 0 {
		r.UnmappedFiled = round4(float64(unmappedFiled) / float64(r.Unmapped))
	}
	r.Coverage = round4(float64(covered) / float64(len(items)))
	if covered > 0 {
		r.Accuracy = round4(float64(correct) / float64(covered))
	}
	if n > 0 {
		r.MacroF1 = round4(sum / float64(n))
	}
	return r
}

// WriteTopics prints the result for people.
func (r TopicsResult) WriteTopics(w io.Writer) {
	fmt.Fprintf(w, "items %d  coverage %.4f  precision (of filed) %.4f  macro-F1 %.4f", r.Items, r.Coverage, r.Accuracy, r.MacroF1)
	if r.Unmapped > 0 {
		fmt.Fprintf(w, "  items of no topic's label %d, filed %.4f", r.Unmapped, r.UnmappedFiled)
	}
	fmt.Fprint(w, "\n\n")
	var labels []string
	for l := range r.PerTopic {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	fmt.Fprintf(w, "%-14s %9s %7s %7s\n", "label", "precision", "recall", "f1")
	for _, l := range labels {
		s := r.PerTopic[l]
		fmt.Fprintf(w, "%-14s %9.4f %7.4f %7.4f\n", l, s.Precision, s.Recall, s.F1)
	}
	cols := slices.Clone(labels)
	cols = append(cols, "-")
	fmt.Fprintf(w, "\nconfusion (rows: true label; columns: given, - for none)\n%-14s", "")
	for _, c := range cols {
		fmt.Fprintf(w, " %7s", c)
	}
	fmt.Fprintln(w)
	for _, l := range labels {
		fmt.Fprintf(w, "%-14s", l)
		for _, c := range cols {
			fmt.Fprintf(w, " %7d", r.Confusion[l][c])
		}
		fmt.Fprintln(w)
	}
}
