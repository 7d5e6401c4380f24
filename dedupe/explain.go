package dedupe

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"tributary/news"
)

// Explanation says why an item is in its story, or which story a
// headline would join: for `tributary explain` and GET /explain.
type Explanation struct {
	Query      string     // what was asked: a URL, GUID or headline
	Item       *news.Item // the stored item asked about; nil for a headline not stored
	Story      string     // the story it is in or would join; empty for a new one
	Decision   string
	Threshold  float64     // the probability a story needs, over its Linkage most alike members
	Merge      float64     // the probability a second story needs to be merged
	Linkage    int         // how many of a story's most alike members count
	Members    []Member    // the story's items, representative first, each compared with the item
	Candidates []Candidate // for a headline not stored: the stories it was compared with, best first
	Closest    *Comparison // the item and its most alike other member, feature by feature
}

// Member is one item of a story, as the item asked about compares with
// it.
type Member struct {
	Item     news.Item
	Priority int
	Prob     float64 // the probability the model gives the two of reporting one event
	Why      string  // "representative", "the item itself", "same canonical URL", or ""
}

// Candidate is a story a headline was compared with.
type Candidate struct {
	Story   string
	Members int
	Score   float64 // the mean probability over its Linkage most alike members
}

// Explain explains a stored item: members are its story's items,
// representative first (as the store orders them), priorities the
// sources' priorities.
func (x *Index) Explain(query string, it news.Item, members []news.Item, priorities map[string]int) Explanation {
	e := Explanation{Query: query, Item: &it, Story: it.Story, Threshold: x.threshold, Merge: x.merge, Linkage: x.linkage}
	if len(members) == 0 {
		e.Decision = "the item's story has no members in the store (was it deleted?)"
		return e
	}
	var probs []float64
	best := -1
	var closest Comparison
	for i, m := range members {
		mem := Member{Item: m, Priority: priorities[m.Source]}
		switch {
		case m.Source == it.Source && m.GUID == it.GUID:
			mem.Prob, mem.Why = 1, "the item itself"
			if i == 0 {
				mem.Why = "the item itself, the representative"
			}
		case m.URL != "" && m.URL == it.URL:
			mem.Prob, mem.Why = 1, "same canonical URL"
			probs = append(probs, 1)
		default:
			c := x.Compare(&it, &m)
			mem.Prob = c.Prob
			probs = append(probs, c.Prob)
			if best < 0 || c.Prob > closest.Prob {
				best, closest = len(e.Members), c
			}
		}
		if i == 0 && mem.Why == "" {
			mem.Why = "representative"
		} else if i == 0 && mem.Why == "same canonical URL" {
			mem.Why = "representative, same canonical URL"
		}
		e.Members = append(e.Members, mem)
	}
	if best >= 0 {
		e.Closest = &closest
	}
	slices.SortFunc(probs, func(a, b float64) int { return -cmp.Compare(a, b) })
	switch {
	case len(members) == 1:
		e.Decision = "no other item matched: the item is its story's only member"
	case strings.HasSuffix(e.Members[0].Why, "same canonical URL"):
		e.Decision = "same canonical URL as the representative"
	case slices.ContainsFunc(e.Members, func(m Member) bool { return strings.HasSuffix(m.Why, "same canonical URL") }):
		e.Decision = "same canonical URL as another member"
	default:
		n := min(x.linkage, len(probs))
		var sum float64
		for _, p := range probs[:n] {
			sum += p
		}
		e.Decision = fmt.Sprintf("the model gives it %.3f with its story's %d most alike other members (a story is joined at %.2f; "+
			"stories also merge when a later item shows them one, and items are decided again while they settle)", sum/float64(n), n, x.threshold)
	}
	return e
}

// ExplainHeadline says which story a headline published at pub would
// join, without indexing it: the stories it was compared with.
func (x *Index) ExplainHeadline(query, headline string, pub time.Time) Explanation {
	e := Explanation{Query: query, Threshold: x.threshold, Merge: x.merge, Linkage: x.linkage}
	it := news.Item{Source: "\x00explain", GUID: "\x00explain", Title: headline, Published: pub, Fetched: pub}
	b := x.Begin(pub)
	r := b.AssignAll([]news.Item{it})
	x.mu.Lock()
	en := b.fresh[0]
	for _, s := range x.rankStories(x.candidates(en, false), false) {
		st := &x.stories[s.story]
		if st.key == "" || s.story == x.ents[en].story && len(st.members) == 1 {
			continue // the headline's own new story
		}
		e.Candidates = append(e.Candidates, Candidate{Story: st.key, Members: len(st.members), Score: s.score})
	}
	x.mu.Unlock()
	b.Rollback()
	m := r.Matches[0]
	switch m.Reason {
	case ReasonNew:
		e.Decision = "no story scores enough: it would start a new story"
	default:
		e.Story = m.Story
		e.Decision = fmt.Sprintf("it would join story %s (%.3f)", m.Story, m.Score)
	}
	return e
}

// WriteText writes the explanation for people.
func (e *Explanation) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "query:      %s\n", e.Query)
	if e.Item != nil {
		fmt.Fprintf(&b, "item:       %s %q (%s)\n", e.Item.Source, e.Item.Title, e.Item.Link)
	}
	if e.Story != "" {
		fmt.Fprintf(&b, "story:      %s\n", e.Story)
	}
	fmt.Fprintf(&b, "decision:   %s\n", e.Decision)
	fmt.Fprintf(&b, "thresholds: join %.2f over a story's %d most alike members, merge %.2f\n", e.Threshold, e.Linkage, e.Merge)
	if len(e.Members) > 0 {
		fmt.Fprintf(&b, "members (representative first; probability with the item):\n")
		for _, m := range e.Members {
			why := ""
			if m.Why != "" {
				why = "  [" + m.Why + "]"
			}
			fmt.Fprintf(&b, "  %.3f  %-18s prio %-3d %s  %q%s\n", m.Prob, m.Item.Source, m.Priority,
				m.Item.Published.UTC().Format("2006-01-02 15:04"), m.Item.Title, why)
		}
	}
	if c := e.Closest; c != nil {
		fmt.Fprintf(&b, "with its most alike member, feature by feature (value × weight = log-odds):\n")
		for _, f := range c.Contributions {
			fmt.Fprintf(&b, "  %-22s %7.3f × %7.3f = %+7.3f\n", f.Feature, f.Value, f.Weight, f.Adds)
		}
		var toks []string
		for _, t := range c.Shared[:min(len(c.Shared), 12)] {
			toks = append(toks, fmt.Sprintf("%s %.2f", t.Token, t.Weight))
		}
		fmt.Fprintf(&b, "shared weighted tokens: %s\n", strings.Join(toks, ", "))
	}
	if len(e.Candidates) > 0 {
		fmt.Fprintf(&b, "candidate stories:\n")
		for _, c := range e.Candidates {
			fmt.Fprintf(&b, "  %s  %d member(s)  %.3f (needs %.2f)\n", c.Story, c.Members, c.Score, e.Threshold)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
