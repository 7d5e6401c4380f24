// Package dedupe decides which items report the same event (a story). It
// is pure: strings and news values in, decisions out, no I/O.
//
// Two kinds of evidence. Exact: the same canonical URL (Canonical: scheme,
// host case, default port, fragment, trailing slash and tracking
// parameters dropped, query sorted) from any source is one story. Learned:
// each item is read as its headline and its text (the summary and, where
// full text is on, the article: the first TextChars characters of each),
// normalised into tokens by the language layer (package text), weighted
// by rarity in the live window (the background table while the window is
// young). Two items are compared on Features — headline and text
// similarity, the rare names and numbers they share or contradict, the
// countries their headlines name, the time between them, whether one
// outlet published both, how much text each has — and a logistic
// regression (Model, fitted by internal/storyfit on judged days of the
// shared RSS stream and embedded from model.json) gives the probability
// that they report one event.
//
// Decisions come twice, so that the same items make the same stories
// whatever order their polls arrive in:
//
//   - provisional, when an item arrives: it joins the story it is most
//     likely part of (above Options.Threshold), or starts one; a reader
//     sees it at once;
//   - final, once it has settled (first fetched Options.Settle before the
//     batch's time): settled items are decided again one by one in a
//     canonical order (published time, source, GUID) against settled
//     items only, with weights counted from what settled before the batch.
//     An item may move to another story, and an item likely part of two
//     stories (above Options.Merge with each) merges them. Moves are
//     returned in Result.Moves for the store to record, so replicas and a
//     rebuilt index follow them.
//
// A story is joined on its members' average probability over its
// linkage most alike members (the model's), so A~B and B~C do not glue
// A and C together. An outlet's own items published a day apart
// (outletDay) are never one story: a daily horoscope is a series. What a
// source repeats in every item (templates.go) is left out of what its
// items are compared on.
//
// Files:
//
//   - index.go      the Index and its Options;
//   - entries.go    indexed items in dense arrays, tokens, settling and
//     pruning;
//   - vocab.go      token ids, rarity weights (cached), names and numbers;
//   - template.go   what a source repeats;
//   - candidates.go which entries are worth comparing: an inverted index
//     over each item's rare tokens, never all pairs;
//   - features.go, model.go the comparison and the learned decision;
//   - assign.go     batches and provisional decisions, how stories are
//     ranked, rollback with the store's transaction;
//   - settle.go     final decisions in the canonical order, merges;
//   - stories.go    story keys: derived from the first item (source,
//     GUID), so a story's published id never changes;
//   - pairs.go      the comparisons the engine would make, for the
//     fitting tool;
//   - compare.go, explain.go why a decision was made, for people.
//
// `tributary eval -stories` measures the decisions on labelled items;
// README, "Near-duplicate stories", gives the figures.
package dedupe
