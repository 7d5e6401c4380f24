// Package dedupe decides which items report the same story. It is pure:
// strings and news values in, decisions out, no I/O.
//
// Two steps. Exact: the same canonical URL (Canonical: scheme, host case,
// default port, fragment, trailing slash and tracking parameters dropped,
// query sorted) from any source is one story. Near: headlines are
// normalised into tokens by the language layer (package text: Unicode
// folding, publisher boilerplate, stop words, stems, numbers, demonyms),
// weighted by rarity
// over a window of recent items (inverse document frequency), and an
// Index finds the story a new headline belongs to:
//
//   - index.go     the Index, its options, stories and entries: numbered,
//     in dense arrays (an entry a query reads is one cache line), so a
//     query walks arrays, not maps and pointers;
//   - postings.go  headline words to interned token ids (a word seen before
//     is one lookup, not a fold and a stem), adding and pruning entries,
//     compaction (which also forgets tokens no entry holds);
//   - candidates.go which stories are worth scoring: an inverted index over
//     each query's rarest tokens (prefix filtering), never all pairs;
//   - scoring.go   token weights and the pair score;
//   - match.go     the decision: a story of one headline is joined above
//     Options.Threshold, a story of several on its signature (what most of
//     its members share) above Options.StoryThreshold, so A~B and B~C do
//     not glue A and C together;
//   - batch.go     a poll's items assigned together, kept or rolled back with
//     the store's transaction;
//   - compare.go, explain.go  why a decision was made, for people.
//
// Story keys derive from the first item (source, GUID), so a story's
// published id never changes. Thresholds were tuned on labelled data
// (README, "Near-duplicate stories"); `tributary eval` measures them, and
// TestDecisionsUnchanged holds the decisions still while the code that
// makes them changes for speed.
package dedupe
