package dedupe

import (
	"fmt"
	"io"
	"strings"
	"time"

	"tributary/news"
)

// Explanation says why an item belongs to its story, or which story a
// headline would join: for `tributary explain` and GET /explain.
type Explanation struct {
	Query          string     // what was asked: a URL, GUID or headline
	Item           *news.Item // the stored item asked about; nil for a headline not stored
	Story          string     // the story it belongs to or would join; empty for a new one
	Members        []Member   // the story's items, representative first
	Shared         []TokenWeight
	Score          float64 // the item's score with the representative, or with the story joined
	Threshold      float64
	StoryThreshold float64
	Decision       string
	Candidates     []Candidate // for a headline not stored: the stories considered
}

// Member is one item of a story with its score against the representative.
type Member struct {
	Item     news.Item
	Priority int
	Score    float64
	Why      string // how it relates to the representative
}

// Candidate is a story a headline was compared with.
type Candidate struct {
	Story   string
	Members int
	Score   float64
	Need    float64
}

// Explain explains a stored item: members are its story's items,
// representative first (as the store orders them), priorities the
// sources' priorities.
func (x *Index) Explain(query string, it news.Item, members []news.Item, priorities map[string]int) Explanation {
	e := Explanation{Query: query, Item: &it, Story: it.Story}
	e.Threshold, e.StoryThreshold = x.Thresholds()
	if len(members) == 0 {
		e.Decision = "the item's story has no members in the store (was it deleted?)"
		return e
	}
	rep := members[0]
	for _, m := range members {
		mem := Member{Item: m, Priority: priorities[m.Source]}
		switch {
		case m.Source == rep.Source && m.GUID == rep.GUID:
			mem.Score, mem.Why = 1, "representative"
		case m.URL != "" && m.URL == rep.URL:
			mem.Score, mem.Why = 1, "same canonical URL"
		default:
			mem.Score = x.Compare(rep.Title, m.Title).Score
			mem.Why = "headline"
		}
		e.Members = append(e.Members, mem)
	}
	c := x.Compare(rep.Title, it.Title)
	e.Shared, e.Score = c.Shared, c.Score
	switch {
	case len(members) == 1:
		e.Decision = "no other item matched: the item is its story's only member"
	case it.Source == rep.Source && it.GUID == rep.GUID:
		e.Decision = fmt.Sprintf("the item represents its story: %s", whyRepresentative(e.Members))
	case it.URL != "" && it.URL == rep.URL:
		e.Decision = "same canonical URL as the representative"
	default:
		e.Decision = fmt.Sprintf("joined by headline; it scores %.3f with the representative (a story of several is joined on what its members share, at %.2f)", c.Score, e.StoryThreshold)
	}
	return e
}

func whyRepresentative(ms []Member) string {
	rep := ms[0]
	for _, m := range ms[1:] {
		if m.Priority >= rep.Priority {
			return fmt.Sprintf("its source shares the highest priority (%d) and it was published first", rep.Priority)
		}
	}
	return fmt.Sprintf("its source has the highest priority (%d)", rep.Priority)
}

// ExplainHeadline says which story a headline published at pub would
// join, without indexing it: the candidates with their scores.
func (x *Index) ExplainHeadline(query, headline string, pub time.Time) Explanation {
	x.mu.Lock()
	defer x.mu.Unlock()
	e := Explanation{Query: query, Threshold: x.threshold, StoryThreshold: x.storyThreshold}
	x.newQuery()
	q, total := x.weigh(x.tokenIDs(headline))
	if total == 0 {
		e.Decision = "the headline has no words to compare once normalised: it would start a new story"
		return e
	}
	for _, c := range x.rank(q, total, pub.UnixNano()) {
		s := &x.stories[c.story]
		e.Candidates = append(e.Candidates, Candidate{Story: s.key, Members: int(x.sizes[c.story]), Score: c.score, Need: c.need})
		if c.joins && e.Story == "" {
			e.Story, e.Score = s.key, c.score
		}
	}
	if e.Story == "" {
		e.Decision = "no story scores enough: it would start a new story"
	} else {
		e.Decision = fmt.Sprintf("it would join story %s (score %.3f)", e.Story, e.Score)
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
	fmt.Fprintf(&b, "thresholds: %.2f with a story of one headline, %.2f with a story of several\n", e.Threshold, e.StoryThreshold)
	if len(e.Members) > 0 {
		fmt.Fprintf(&b, "members (representative first; score against it):\n")
		for _, m := range e.Members {
			fmt.Fprintf(&b, "  %.3f  %-18s prio %-3d %s  %q  [%s]\n", m.Score, m.Item.Source, m.Priority,
				m.Item.Published.UTC().Format("2006-01-02 15:04"), m.Item.Title, m.Why)
		}
	}
	if len(e.Shared) > 0 {
		var toks []string
		for _, t := range e.Shared {
			toks = append(toks, fmt.Sprintf("%s %.2f", t.Token, t.Weight))
		}
		fmt.Fprintf(&b, "shared weighted tokens with the representative: %s\n", strings.Join(toks, ", "))
	}
	if len(e.Candidates) > 0 {
		fmt.Fprintf(&b, "candidate stories:\n")
		for _, c := range e.Candidates {
			fmt.Fprintf(&b, "  %s  %d member(s)  score %.3f  needs %.2f\n", c.Story, c.Members, c.Score, c.Need)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
