// Package store is tributary's store contract and the SQL its engines
// share. Store is the whole contract every engine keeps (package
// storetest checks it); the optional capabilities an engine may add are
// named interfaces — Leaser, Follower, Leader, Checker — found by a type
// assertion where they are used, the way net/http names Flusher.
//
// DB holds the queries both engines run, written once over database/sql
// and a Dialect (the few places SQLite and PostgreSQL write differently).
// Package sqlite and package postgres embed it and add only what truly
// differs: opening, pragmas, migrations, backups, each engine's fast path
// for a poll's writes, and PostgreSQL's leases, leader and assignment lock.
package store

import (
	"context"
	"time"

	"tributary/news"
)

// Store is everything tributary asks of a store.
type Store interface {
	// FetchState returns what is remembered about a source's fetches, the
	// zero value for a source never polled.
	FetchState(ctx context.Context, source string) (news.FetchState, error)
	// KnownItems returns, for those of guids already stored for source,
	// what tells an unchanged item from an edited one.
	KnownItems(ctx context.Context, source string, guids []string) (map[string]Known, error)
	// SavePoll writes everything one poll changed in one transaction; a
	// new item already stored (same source and GUID) is left as it is.
	SavePoll(ctx context.Context, p *Poll) error
	// SaveMoves writes story moves made outside a poll (items settling
	// while no poll came), and the filings they change (Poll.Refiled), in
	// one transaction, at the time at.
	SaveMoves(ctx context.Context, moves []Move, filings []Filing, at time.Time) error
	// SyncSources records the configured sources' URL and priority.
	SyncSources(ctx context.Context, srcs []news.Source) error
	// Sources returns every source the store knows, by name.
	Sources(ctx context.Context) ([]news.SourceRecord, error)
	// Priorities returns every known source's priority.
	Priorities(ctx context.Context) (map[string]int, error)

	// RecentItems calls fn, in the order they were stored, for every
	// item published or first fetched at or after since, with what the
	// dedupe index reads (source, GUID, story, canonical URL, title, the
	// first textChars characters of its summary and of its content,
	// published, fetched); fn must not keep the item it is passed.
	RecentItems(ctx context.Context, since time.Time, textChars int, fn func(*news.Item)) error
	// EachItem calls fn for every stored item, a story's items one after
	// the other (oldest first), in one snapshot.
	EachItem(ctx context.Context, fn func(*news.Item) error) error
	// ItemTopics returns every stored item's topics by item id, sorted.
	ItemTopics(ctx context.Context) (map[int64][]string, error)
	// FindItems returns the items a user may mean by arg: by canonical
	// URL, link, GUID or title (any case), newest first.
	FindItems(ctx context.Context, arg, canonical string) ([]news.Item, error)
	// SetContent keeps an item's extracted article, unless the item
	// changed since (its hash differs) or is gone.
	SetContent(ctx context.Context, id int64, hash, content string) error
	// FullTextQueue returns up to limit items waiting for their article
	// (queued by SavePoll, Poll.FullText), the longest waiting first;
	// FullTextDone takes one off.
	FullTextQueue(ctx context.Context, limit int) ([]news.Item, error)
	FullTextDone(ctx context.Context, id int64) error

	// Stories returns a topic's newest limit stories (news.AllTopic for
	// every story), newest first, each with its items (outlets filled
	// in), representative first: highest priority, then earliest.
	Stories(ctx context.Context, topic string, limit int) ([]news.Story, error)
	// PublicStories returns the catch-all's newest limit stories as
	// Stories does, without those filed only in the topics named private.
	PublicStories(ctx context.Context, private []string, limit int) ([]news.Story, error)
	// HotStories returns a topic's limit hottest stories at now among all
	// those first published within window and carried by at least
	// minSources sources (Heat), hottest first; for the catch-all, without
	// those filed only in the topics named private.
	HotStories(ctx context.Context, topic string, private []string, now time.Time, window time.Duration, minSources, limit int) ([]news.Story, error)
	// StoryItems returns a story's items, representative first.
	StoryItems(ctx context.Context, key string) ([]news.Item, error)
	// TopicCounts returns how many stories each topic holds, the
	// catch-all's included.
	TopicCounts(ctx context.Context) (map[string]int, error)

	// RulesFingerprint returns the fingerprint of the topic rules the
	// stored filings were made with, "" before any.
	RulesFingerprint(ctx context.Context) (string, error)
	// Refile replaces the topics of each item named in filings and
	// records fingerprint, in one transaction; an item whose hash differs
	// (edited since it was read) or which is gone is left as it is.
	Refile(ctx context.Context, fingerprint string, filings []Filing) error
	// Prune deletes items published before cutoff, but those of the
	// newest keep stories of every topic (the catch-all's included), and
	// the stories left empty; it returns how many of each it deleted.
	Prune(ctx context.Context, cutoff time.Time, keep int) (items, stories int, err error)

	// DocumentStates returns what SaveDocumentStates kept: each published
	// document's ETag and the time its content last changed.
	DocumentStates(ctx context.Context) (map[string]news.DocumentState, error)
	SaveDocumentStates(ctx context.Context, states []news.DocumentState) error

	// DueAlerts, AlertDelivered, AlertFailed and Outbox work the outbox
	// SavePoll fills (Poll.Alerts).
	DueAlerts(ctx context.Context, now time.Time, limit int) ([]Alert, error)
	AlertDelivered(ctx context.Context, id int64, at time.Time) error
	AlertFailed(ctx context.Context, id int64, msg string, next time.Time) error
	Outbox(ctx context.Context) (Outbox, error)

	// Backup writes a consistent copy of the store to path, refusing to
	// overwrite a file, and returns its size.
	Backup(ctx context.Context, path string) (int64, error)
	// Path names the store in logs and messages, never with credentials.
	Path() string
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
	Close() error
}

// Leaser is a store several replicas share, each poll claimed under a
// lease so that one replica polls a source at a time (PostgreSQL).
type Leaser interface {
	// Claim takes source's lease for holder until now+period, unless
	// another holder's lease still runs or the source was polled at or
	// after due.
	Claim(ctx context.Context, source, holder string, due, now time.Time, period time.Duration) (Claim, error)
	// Release gives holder's lease on source back, recording holder as
	// the one that polled it last.
	Release(ctx context.Context, source, holder string) error
}

// Follower is a store several replicas write: stories are assigned one
// replica at a time, and each replica follows what the others stored
// (PostgreSQL).
type Follower interface {
	// Serialize runs fn holding the store's assignment lock.
	Serialize(ctx context.Context, fn func(ctx context.Context) error) error
	// ItemsAfter calls fn, in id order, for every item stored with an id
	// after after, with what RecentItems gives and its topics, and
	// returns the last id.
	ItemsAfter(ctx context.Context, after int64, textChars int, fn func(*news.Item)) (int64, error)
	// LastItemID returns the newest item's id, 0 for none.
	LastItemID(ctx context.Context) (int64, error)
	// MovesAfter calls fn, in order, for every story move (Poll.Moves)
	// recorded after the move of id after, and returns the last id.
	MovesAfter(ctx context.Context, after int64, fn func(Move)) (int64, error)
	// LastMoveID returns the newest move's id, 0 for none.
	LastMoveID(ctx context.Context) (int64, error)
}

// Leader is a store whose replicas elect one of them to run what must
// run once: retention, the WebSub hub's pings, alerts (PostgreSQL).
type Leader interface {
	// Leading reports whether this replica leads now, taking the lead
	// when nobody holds it.
	Leading(ctx context.Context) bool
}

// Checker is a store that checks its own file for damage (SQLite). A
// PostgreSQL server guards its own pages.
type Checker interface {
	// CheckIntegrity returns nil for a sound store, else why not.
	CheckIntegrity(ctx context.Context) error
}

// Sizer is a store that knows its size and the room left for it on its
// disk (SQLite).
type Sizer interface {
	Usage() (Usage, error)
}

// Usage is the size of a store and the room left for it.
type Usage struct {
	Path string
	Size int64  // bytes: the database and its journal
	Free uint64 // bytes the file system still gives this process
}
