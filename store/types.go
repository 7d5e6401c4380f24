package store

import (
	"encoding/json"
	"fmt"
	"time"

	"tributary/news"
)

// Known is what the store holds about an item already seen, enough to tell
// an unchanged item from an edited one without loading it whole.
type Known struct {
	ID        int64
	Hash      string
	Story     string
	Published time.Time
	Fetched   time.Time
	Topics    []string // as filed now, so a re-filing can tell what it leaves
}

// Filing is the topics one stored item is filed under, and the hash of
// the content they were matched against.
type Filing struct {
	ID     int64
	Hash   string
	Topics []string
}

// Poll is everything one poll of one source changes in the store. The store
// writes it in a single transaction: all of it lands, or none of it.
type Poll struct {
	Source  string
	URL     string // the URL polled
	State   news.FetchState
	Outlet  *news.OutletInfo // what the document says of its outlet; nil when none was parsed
	New     []news.Item      // items never seen before, with their story assigned
	Updated []news.Item      // known items whose content changed upstream
	Moves   []Move           // stored items and stories the poll's decisions moved
	// Refiled are stored items filed again because their story changed
	// (topics by example are decided from all of a story's copies).
	Refiled []Filing
	// Alerts are the topics that notify: in the poll's transaction, a
	// story of its new items that a rule's topic now holds from enough
	// outlets gets an alert per target, once.
	Alerts []AlertRule
	At     time.Time // when the poll ran: alerts are due then
	// FullText queues the new and edited items for their article
	// (the source's full_text), in the poll's transaction.
	FullText bool
	// OutletChanged is set by SavePoll when Outlet renamed the outlet (or
	// moved its site): every entry crediting it changed.
	OutletChanged bool
}

// Claim is the answer to a replica claiming a source's poll on a store
// replicas share.
type Claim struct {
	Claimed  bool            // the poll is this replica's
	TookOver bool            // from another replica whose lease had expired
	State    news.FetchState // the source's fetch state as stored
	LastBy   string          // the replica that polled it last
}

// AlertRule is what a notifying topic asks of the store.
type AlertRule struct {
	Topic      string
	MinSources int      // outlets a story needs before it is announced; at least 1
	Updates    bool     // announce once more when another outlet joins an announced story
	Targets    []string // where alerts go, by their URLs
}

// Alert is one notification waiting in the outbox, or sent.
type Alert struct {
	ID        int64
	Topic     string
	Story     string
	Kind      string // "new", or "update" when another outlet joined
	Target    string
	Created   time.Time
	Attempts  int
	LastError string
}

// Outbox counts the alerts waiting and those that failed at least once.
type Outbox struct {
	Pending   int `json:"pending"`
	Failing   int `json:"failing"` // pending, and failed at least once
	Delivered int `json:"delivered"`
}

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
func EncodeLists(it *news.Item) (cats, encs string, err error) {
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
		e = []news.Enclosure{}
	}
	eb, err := json.Marshal(e)
	return string(cb), string(eb), err
}

// DecodeLists reads the categories and enclosures a store kept into it;
// empty lists are nil, as an item parsed without any has them.
func DecodeLists(it *news.Item, cats, encs string) error {
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
