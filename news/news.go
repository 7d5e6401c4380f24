// Package news holds the domain types every other package shares: a Source
// that is polled, the Items it yields, the Stories items are grouped into,
// the fetch state kept between polls and a source's health, and SafeURL,
// which decides which links may reach a reader. It imports no project
// package.
package news

import (
	"net/url"
	"strings"
	"time"
)

// AllTopic is the name of the catch-all topic that holds every story.
const AllTopic = "all"

// Source is one upstream feed as the aggregator polls it.
type Source struct {
	Name     string        // unique slug, e.g. "bbc-world"
	URL      string        // http(s) or file URL
	Schedule string        // cron spec or descriptor
	Priority int           // higher wins when copies of a story compete
	Timeout  time.Duration // whole-request deadline
	// AllowPrivate lets fetches reach loopback, private and other internal
	// addresses, on every redirect hop. A URL that names such an address
	// (or localhost) itself may reach exactly that host and port without it.
	AllowPrivate bool
	// Credentials open a private feed; sent to the configured URL's host
	// only, never to another on a redirect. Secrets, resolved: never
	// logged, shown or stored.
	Credentials Credentials
	// Proxy is an http, https or socks5 proxy URL to fetch through.
	Proxy string
	// FullText fetches each new item's page and keeps its article as the
	// item's content; FullTextSelector, a CSS selector, picks the article
	// where readability picks the wrong part.
	FullText         bool
	FullTextSelector string
	// Title is the outlet's name to credit its items by, as the config
	// gives it; "" to take it from the feed (feed.OutletName).
	Title string
}

// Credentials are what a private feed asks for.
type Credentials struct {
	Headers        map[string]string // extra request headers (Authorization: Bearer …)
	User, Password string            // HTTP basic auth, when User is set
	Cookie         string            // a Cookie header
}

// Empty reports whether there are none.
func (c Credentials) Empty() bool {
	return len(c.Headers) == 0 && c.User == "" && c.Cookie == ""
}

// FetchState is what the store remembers about a source between polls.
type FetchState struct {
	ETag         string    // validator sent back as If-None-Match
	LastModified string    // validator sent back as If-Modified-Since, byte for byte
	LastPoll     time.Time // start of the last poll, whatever its outcome
	LastSuccess  time.Time // last poll that ended without error (200 or 304)
	LastError    string    // empty after a success
	Failures     int       // consecutive failed polls
	NotBefore    time.Time // no scheduled poll before this (Retry-After, max-age, backoff)
	MovedFrom    string    // the configured URL a permanent redirect applies to
	MovedTo      string    // where it leads; used while the config still says MovedFrom
	Retired      string    // the configured URL that answered 410 Gone: not polled again
}

// Item is one entry of one source, normalised. The pair (Source, GUID) names
// it: polling the same entry again updates it rather than adding a copy.
type Item struct {
	ID         int64 // store row id; 0 until stored
	Source     string
	GUID       string
	Link       string // the link as the source gave it
	URL        string // canonical form of Link, used for exact dedupe
	Title      string // plain text
	Summary    string // sanitised HTML
	Content    string // sanitised HTML
	Author     string // plain text
	Categories []string
	Image      string      // a picture for the item: an http(s) URL, or ""
	Enclosures []Enclosure // files the item links to: pictures, audio, video
	Published  time.Time   // UTC; the fetch time when the source gave none
	Undated    bool        // the source gave no date (not stored)
	Updated    time.Time   // UTC; equal to Published when the source gave none
	Fetched    time.Time   // UTC; first time this item was stored
	Hash       string      // digest of the fields above, to notice upstream edits
	Story      string      // key of the story this item belongs to
	Topics     []string    // topics this item matches, sorted
	// Outlet is the item's source as readers should know it. The store
	// fills it in when it reads stories; it is not stored with the item.
	Outlet Outlet
}

// Enclosure is a file an item links to: a picture, a podcast episode.
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type"`             // media type, e.g. image/jpeg or audio/mpeg
	Length int64  `json:"length,omitempty"` // bytes; 0 when unknown
}

// Outlet is a source as readers should know it: the upstream's own name
// for itself and where it lives.
type Outlet struct {
	Name    string // the source's configured name
	Title   string // the upstream feed's title, "" when it gave none
	FeedURL string // the upstream feed's URL, as configured
	Site    string // the upstream's web site, when it gave one
}

// Label is how the outlet is named to readers: its own title, else the
// source's name.
func (o Outlet) Label() string {
	if o.Title != "" {
		return o.Title
	}
	return o.Name
}

// Body returns an item's text: its summary, else its content (HTML).
func (it *Item) Body() string {
	if it.Summary != "" {
		return it.Summary
	}
	return it.Content
}

// Untitled is what shows an item with neither title nor text: its
// outlet and date ("Perseverance Image Bot, 27 Nov 2026").
func (it *Item) Untitled() string {
	outlet := it.Outlet.Label()
	if outlet == "" {
		outlet = it.Source
	}
	return outlet + ", " + it.Published.UTC().Format("2 Jan 2006")
}

// OutletInfo is what an upstream document says of its outlet: its title
// and web site, to credit it on every entry.
type OutletInfo struct {
	Title string // plain text
	Site  string // an http(s) URL, or ""
}

// DocumentState is what the publisher keeps of each published document
// across restarts: its ETag, and when its content last changed (its
// Last-Modified).
type DocumentState struct {
	Name     string // e.g. "ukraine.rss"
	ETag     string
	Modified time.Time
}

// Story groups the items that report the same event. Its key never changes
// once assigned, so its published id never does either.
type Story struct {
	Key       string
	Items     []Item    // the representative first, then the other copies
	Topics    []string  // union of the items' topics, sorted
	Published time.Time // its first item's published time: it never moves
	Updated   time.Time // the latest change: a member's update, or a copy joining
}

// Representative returns the item that stands for the story in a feed.
func (s *Story) Representative() *Item {
	if len(s.Items) == 0 {
		return nil
	}
	return &s.Items[0]
}

// Topic is a published topic feed.
type Topic struct {
	Name  string // slug used in URLs
	Title string // human title

	// What its feeds show (zero: the publisher's defaults, no filter).
	Limit      int           // entries
	MaxAge     time.Duration // stories published longer ago than this are left out
	PerSource  int           // at most this many entries whose representative is one source's
	MinSources int           // only stories at least this many outlets carry
	Private    bool          // its feeds ask for a token
}

// Outlets returns how many different sources carry the story.
func Outlets(s *Story) int {
	seen := make(map[string]bool, len(s.Items))
	for i := range s.Items {
		seen[s.Items[i].Source] = true
	}
	return len(seen)
}

// SafeURL returns raw, trimmed, when it is an absolute http or https URL
// with a host of at most MaxURL bytes, and "" otherwise: a javascript:,
// data:, vbscript: or relative link must never reach a reader as a link.
func SafeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if len(raw) > MaxURL {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return raw
	}
	return ""
}

// MaxURL is the longest URL SafeURL keeps, in bytes: far above any real
// article's (browsers and servers commonly stop at 2 to 8 KB), so an
// upstream cannot make every feed and page carry megabytes of link.
const MaxURL = 4096
