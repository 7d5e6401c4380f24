package eval

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Labelled is an item with the story people (or an aggregator) filed it
// under, when the file says.
type Labelled struct {
	ID      string // the file's id for it, if any
	Title   string
	Summary string // text or HTML; "" when the file has none
	Link    string // the item's link; "" when the file has none
	Story   string // the true story id; "" in a file without labels
	Section string // a judged section, if the labels give one
	Source  string
	Time    time.Time
}

// ReadStories reads a CSV file with a header. Columns are found by name,
// in any case: title is required; story, id, publisher (or source, or
// outlet), timestamp (or published: milliseconds since the epoch, or RFC
// 3339), summary (or description) and link (or url) are optional. Rows
// without a time keep their order, a minute apart.
func ReadStories(r io.Reader) ([]Labelled, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, err
	}
	title, story, id := t.column("title"), t.column("story"), t.column("id")
	if !title.ok {
		return nil, errors.New(`header: need a "title" column`)
	}
	source, stamp := t.column("publisher", "source", "outlet"), t.column("timestamp", "published")
	summary, link := t.column("summary", "description"), t.column("link", "url")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []Labelled
	for line := 2; ; line++ {
		rec, err := t.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		l := Labelled{ID: id.in(rec), Title: title.in(rec), Story: story.in(rec), Source: source.in(rec),
			Summary: summary.in(rec), Link: link.in(rec)}
		if l.Title == "" || (story.ok && l.Story == "") {
			continue
		}
		l.Time = t0.Add(time.Duration(len(out)) * time.Minute)
		if ts := stamp.in(rec); ts != "" {
			if l.Time, err = parseTime(ts); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, errors.New("no headlines found")
	}
	return out, nil
}

// Labelled reports whether the items carry true stories.
func HasStories(items []Labelled) bool { return len(items) > 0 && items[0].Story != "" }

// Judgement is what a person decided about one item of a file that has
// no labels of its own (the RSS stream): its event, and its section.
type Judgement struct {
	Event, Section string
}

// ReadJudged reads judgements: a CSV file with the columns id, event and
// section (either may be empty), by id.
func ReadJudged(r io.Reader) (map[string]Judgement, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, err
	}
	id, event, section := t.column("id"), t.column("event"), t.column("section")
	if !id.ok {
		return nil, errors.New(`header: need an "id" column`)
	}
	out := map[string]Judgement{}
	for {
		rec, err := t.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		out[id.in(rec)] = Judgement{Event: event.in(rec), Section: section.in(rec)}
	}
	if len(out) == 0 {
		return nil, errors.New("no judgements found")
	}
	return out, nil
}

// Judge keeps the items judged, each with its judged event as its story
// and its judged section.
func Judge(items []Labelled, judged map[string]Judgement) []Labelled {
	var out []Labelled
	for _, l := range items {
		if j, ok := judged[l.ID]; ok {
			l.Story, l.Section = j.Event, j.Section
			out = append(out, l)
		}
	}
	return out
}

func parseTime(s string) (time.Time, error) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("bad timestamp %q: want milliseconds since the epoch or RFC 3339", s)
	}
	return t.UTC(), nil
}

// StoriesResult is the engine's score on labelled stories.
type StoriesResult struct {
	Items           int     `json:"items"`
	Stories         int     `json:"stories"`
	PairPrecision   float64 `json:"pair_precision"`
	PairRecall      float64 `json:"pair_recall"`
	PairF1          float64 `json:"pair_f1"`
	BCubedPrecision float64 `json:"bcubed_precision"`
	BCubedRecall    float64 `json:"bcubed_recall"`
	BCubedF1        float64 `json:"bcubed_f1"`
	Seconds         float64 `json:"seconds"`
}

// Every returns every nth item (the first, the n+1st, ...): a sparse
// sample, as a small installation's window holds a few of each story.
func Every(items []Labelled, n int) []Labelled {
	if n <= 1 {
		return items
	}
	out := make([]Labelled, 0, len(items)/n+1)
	for i := 0; i < len(items); i += n {
		out = append(out, items[i])
	}
	return out
}

// ScoreStories compares the stories found with the true ones.
func ScoreStories(items []Labelled, got []string, elapsed time.Duration) StoriesResult {
	type key struct{ pred, gold string }
	pred, gold, both := map[string]int{}, map[string]int{}, map[key]int{}
	for i, l := range items {
		pred[got[i]]++
		gold[l.Story]++
		both[key{got[i], l.Story}]++
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tpPairs, predPairs, goldPairs float64
	for _, n := range both {
		tpPairs += pairs(n)
	}
	for _, n := range pred {
		predPairs += pairs(n)
	}
	for _, n := range gold {
		goldPairs += pairs(n)
	}
	pair := scores(tpPairs, predPairs-tpPairs, goldPairs-tpPairs)

	var bp, br float64
	for i, l := range items {
		n := float64(both[key{got[i], l.Story}])
		bp += n / float64(pred[got[i]])
		br += n / float64(gold[l.Story])
	}
	b := scores(0, 0, 0)
	b.Precision, b.Recall = bp/float64(len(items)), br/float64(len(items))
	if b.Precision+b.Recall > 0 {
		b.F1 = 2 * b.Precision * b.Recall / (b.Precision + b.Recall)
	}
	return StoriesResult{
		Items: len(items), Stories: len(pred),
		PairPrecision: round4(pair.Precision), PairRecall: round4(pair.Recall), PairF1: round4(pair.F1),
		BCubedPrecision: round4(b.Precision), BCubedRecall: round4(b.Recall), BCubedF1: round4(b.F1),
		Seconds: math.Round(elapsed.Seconds()*1000) / 1000,
	}
}

// Largest returns the n largest true stories of the items, by size, then
// name: a day's largest events hold most of its pairs, so a score
// without them (Without) says how the many small events fare.
func Largest(items []Labelled, n int) map[string]bool {
	sizes := map[string]int{}
	for _, l := range items {
		sizes[l.Story]++
	}
	events := make([]string, 0, len(sizes))
	for e := range sizes {
		events = append(events, e)
	}
	slices.SortFunc(events, func(a, b string) int { return cmp.Or(cmp.Compare(sizes[b], sizes[a]), strings.Compare(a, b)) })
	out := map[string]bool{}
	for _, e := range events[:min(n, len(events))] {
		out[e] = true
	}
	return out
}

// Without returns the items, and the stories found for them, leaving
// out those whose true story is in apart.
func Without(items []Labelled, got []string, apart map[string]bool) ([]Labelled, []string) {
	var keep []Labelled
	var found []string
	for i, l := range items {
		if !apart[l.Story] {
			keep = append(keep, l)
			found = append(found, got[i])
		}
	}
	return keep, found
}
