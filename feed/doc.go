// Package feed reads upstream documents — RSS, Atom, JSON Feed — into
// tributary's items, between fetching (package fetch) and the poll's
// pipeline (package aggregator). It bounds a hostile document before it
// is parsed (bound.go: entries, text, nesting and attributes cut so
// memory follows what is kept), parses it (gofeed; charsets, invalid
// UTF-8 repaired), identifies and fingerprints every entry (so an
// unchanged entry costs a digest comparison), and cleans the new and
// edited ones (normalize.go: plain-text titles without invisible
// reordering characters, sanitised HTML, absolute links, capped fields,
// dates; media.go: pictures and enclosures). It also cleans an article
// page's HTML for full text. It stores nothing and fetches nothing.
package feed
