package eval

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"tributary/news"
	"tributary/topic"
)

// Day is one judged day of a stream: its items that a judgement file
// labels, each with its event (Story) and section.
type Day struct {
	Name  string // the judgement file's name without .csv
	Items []Labelled
}

// LoadDays reads a gzip CSV stream (ReadStories) and, for every
// judgement file the glob matches (ReadJudged), in name order, the
// stream's items it judges: the fitting tools' data (internal/storyfit,
// internal/sectionfit).
func LoadDays(stream, glob string) ([]Day, error) {
	f, err := os.Open(stream)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stream, err)
	}
	items, err := ReadStories(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stream, err)
	}
	paths, err := filepath.Glob(glob)
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no judged days at %s", glob)
	}
	sort.Strings(paths)
	var days []Day
	for _, p := range paths {
		jf, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		j, err := ReadJudged(jf)
		jf.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		days = append(days, Day{Name: strings.TrimSuffix(filepath.Base(p), ".csv"), Items: Judge(items, j)})
	}
	return days, nil
}

// Sections returns the items as headlines labelled with their judged
// section ("none" for no section), for ScoreTopics.
func Sections(items []Labelled) []TopicItem {
	out := make([]TopicItem, 0, len(items))
	for _, l := range items {
		if l.Section != "" {
			out = append(out, TopicItem{Title: l.Title, Description: l.Summary, Label: l.Section, Link: l.Link})
		}
	}
	return out
}

// Learn teaches o what the outlets labelled among the stream's items
// published in the history before the first of the judged items, in
// time order, as a daemon polling the stream would have learned it
// (topic.Outlets: the stream's links say the sections, it has no
// categories). It returns how many items were labelled.
func Learn(o *topic.Outlets, stream, judged []Labelled, history time.Duration) int {
	if len(judged) == 0 {
		return 0
	}
	first := judged[0].Time
	for _, l := range judged {
		if l.Time.Before(first) {
			first = l.Time
		}
	}
	var past []Labelled
	for _, l := range stream {
		if l.Time.Before(first) && !l.Time.Before(first.Add(-history)) {
			past = append(past, l)
		}
	}
	slices.SortStableFunc(past, func(a, b Labelled) int { return a.Time.Compare(b.Time) })
	n := 0
	for _, l := range past {
		it := &news.Item{Source: l.Source, Title: l.Title, Summary: l.Summary, Link: l.Link, Published: l.Time}
		if label := o.Label(it); label != "" {
			o.Learn(it, label)
			n++
		}
	}
	return n
}
