package topic

import (
	"fmt"

	"tributary/news"
)

// Mute is the terms that drop an item from every topic, the catch-all
// included: muted items are still stored, only never shown.
type Mute []Term

// NewMute parses mute terms (the terms of topics, author: and site:
// included); the error names the first bad one by index.
func NewMute(terms []string) (Mute, error) {
	var m Mute
	for i, s := range terms {
		t, err := ParseTerm(s)
		if err != nil {
			return nil, fmt.Errorf("mute[%d]: %w", i, err)
		}
		m = append(m, t)
	}
	return m, nil
}

// Muted returns the term that mutes the item, "" for none.
func (m Mute) Muted(it *news.Item) string {
	if len(m) == 0 {
		return ""
	}
	d := NewDoc(it)
	for _, t := range m {
		if t.match(d) {
			return t.raw
		}
	}
	return ""
}
