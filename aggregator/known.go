package aggregator

import (
	"strconv"
	"sync"
	"tributary/feed"
)

// knownEntries remembers, per source, the fingerprint of each entry of
// its last stored document, so that a poll asks the store only about the
// entries that are new or changed since: in the usual poll, none or a
// few. Only this process writes the store (it holds the state
// directory's lock) and a source is never polled twice at once, so what
// it remembers is what the store holds. It keeps one document's entries
// per source, no more.
type knownEntries struct {
	mu      sync.Mutex
	sources map[string]map[string]uint64 // source -> guid -> fingerprint prefix
}

func newKnownEntries() *knownEntries {
	return &knownEntries{sources: map[string]map[string]uint64{}}
}

// unchanged reports whether source's entry guid was stored with hash.
func (k *knownEntries) unchanged(source, guid, hash string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	fp, ok := k.sources[source][guid]
	return ok && fp == prefix(hash)
}

// stored records the entries of a document whose poll was stored.
func (k *knownEntries) stored(source string, ens []feed.Entry) {
	m := make(map[string]uint64, len(ens))
	for _, en := range ens {
		m[en.GUID] = prefix(en.Hash)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sources[source] = m
}

// forget drops what is remembered of source: another replica has stored
// its entries since.
func (k *knownEntries) forget(source string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.sources, source)
}

// prefix is the first 64 bits of an entry's hex digest: equal prefixes of
// one GUID's two versions are a 1 in 2^64 chance.
func prefix(hash string) uint64 {
	n, _ := strconv.ParseUint(hash[:min(16, len(hash))], 16, 64)
	return n
}
