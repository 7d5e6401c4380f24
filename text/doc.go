// Package text is tributary's language layer: what the story engine
// (package dedupe) and the topics (package topic) both read text through.
// It folds text (Unicode compatibility, accents, typographic quotes and
// dashes, case), strips publishers' headline boilerplate, splits words
// and numbers, writes alike what means alike (number words, demonyms and
// countries, acronyms, phrases, synonyms), drops stop words, stems
// (Snowball English), finds the names running text writes with a capital
// in mid-sentence, and weighs a word by its rarity in a background table
// of real headlines (background.tsv.gz, made by internal/dfgen). It knows
// nothing of stories or topics, and does no I/O.
package text
