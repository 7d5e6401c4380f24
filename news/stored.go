package news

import (
	"encoding/json"
	"fmt"
	"time"
)

// How the stores keep an item's times and lists: every store holds the
// same values, so an installation moves between them (migrate-store)
// unchanged.

// Nanos is a time as a store keeps it: Unix nanoseconds, 0 for the zero
// time.
func Nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// FromNanos reads a time a store kept (Nanos), in UTC.
func FromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// EncodeLists returns an item's categories and enclosures as the JSON
// arrays the stores keep (never null).
func (it *Item) EncodeLists() (cats, encs string, err error) {
	c := it.Categories
	if c == nil {
		c = []string{}
	}
	cb, err := json.Marshal(c)
	if err != nil {
		return "", "", err
	}
	e := it.Enclosures
	if e == nil {
		e = []Enclosure{}
	}
	eb, err := json.Marshal(e)
	return string(cb), string(eb), err
}

// DecodeLists reads the categories and enclosures a store kept; empty
// lists are nil, as an item parsed without any has them.
func (it *Item) DecodeLists(cats, encs string) error {
	if err := json.Unmarshal([]byte(cats), &it.Categories); err != nil {
		return fmt.Errorf("item %d categories: %w", it.ID, err)
	}
	if err := json.Unmarshal([]byte(encs), &it.Enclosures); err != nil {
		return fmt.Errorf("item %d enclosures: %w", it.ID, err)
	}
	if len(it.Categories) == 0 {
		it.Categories = nil
	}
	if len(it.Enclosures) == 0 {
		it.Enclosures = nil
	}
	return nil
}
