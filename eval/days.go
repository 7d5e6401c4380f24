package eval

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
			out = append(out, TopicItem{Title: l.Title, Description: l.Summary, Label: l.Section})
		}
	}
	return out
}
