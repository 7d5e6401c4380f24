package topic

import (
	"slices"
	"sort"
	"strings"

	"tributary/news"
)

// MatchStory returns the topics of each of a story's items (in the
// order given): its rule topics and its outlet's section as Match gives
// them, item by item — a keyword rule holds when a member matches it —
// and its topics by example decided once for the whole story, from the
// headlines and summaries of all its items together, so that one
// outlet's odd headline does not file a story where its other copies do
// not belong. An item whose outlet labelled it keeps its label in that
// label's exclusive group. A story of one item gets what Match gives.
func (s Set) MatchStory(items []news.Item) [][]string {
	out := make([][]string, len(items))
	if len(s) == 0 {
		return out
	}
	if len(items) == 1 {
		out[0] = s.Match(&items[0])
		return out
	}
	whole := s.DecideStory(items)
	o := s.Outlets()
	for i := range items {
		own := s.Decide(&items[i])
		noSection := o.Label(&items[i]) == NoSection
		decided := map[string]bool{} // exclusive groups the item's outlet or a rule decided for it
		var topics []string
		for j, d := range own {
			switch {
			case d.Outlet != "":
				decided[s[j].exclusive] = true
				if d.In {
					topics = append(topics, d.Topic)
				}
			case d.In && (d.Rule != "" || !d.ByScore):
				decided[s[j].exclusive] = true
				topics = append(topics, d.Topic)
			}
		}
		for j, d := range whole {
			if own[j].Excluded != "" || (noSection && o.sections[d.Topic]) { // its sources, a none term, its outlet's "none"
				continue
			}
			if d.In && d.ByScore && !(s[j].exclusive != "" && decided[s[j].exclusive]) && !slices.Contains(topics, d.Topic) {
				topics = append(topics, d.Topic)
			}
		}
		sort.Strings(topics)
		out[i] = topics
	}
	return out
}

// DecideStory returns each topic's decision by example on a story's
// items read together (their headlines and summaries as one text): what
// MatchStory files every item under, but where the item's own sources,
// none terms or outlet's "none" say otherwise. Rules are not evaluated
// here: they hold of each item alone.
func (s Set) DecideStory(items []news.Item) []Decision {
	var titles, summaries []string
	for i := range items {
		titles = append(titles, items[i].Title)
		summaries = append(summaries, items[i].Summary)
	}
	return s.decide(&news.Item{Title: strings.Join(titles, " \u2014 "), Summary: strings.Join(summaries, "\n")}, false)
}
