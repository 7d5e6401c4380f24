package text

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed" // the built-in background table
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// builtinBackground is the built-in table of English news document
// frequencies (see Background): a package variable only because go:embed
// needs one; it is never written. internal/dfgen made it from public news
// corpora; README, "Near-duplicate stories", says how to make it again.
//
//go:embed background.tsv.gz
var builtinBackground []byte

// PriorDocs is how many documents the background table counts for in a
// token's rarity, beside the window's live entries: an installation
// with five sources weighs "the" and "Kyiv" by the table from its first
// poll, and the window dominates once it holds many more entries than
// this.
const PriorDocs = 1000

// Background is a table of document frequencies over a body of English
// news text: in how many of its documents (a headline with the first
// sentences of its summary) each comparison token occurs. It is read
// only, and one table may serve any number of indexes.
type Background struct {
	docs float64
	df   map[string]int32
}

// BuiltinBackground parses the built-in table.
func BuiltinBackground() (*Background, error) {
	zr, err := gzip.NewReader(bytes.NewReader(builtinBackground))
	if err != nil {
		return nil, fmt.Errorf("dedupe: built-in background table: %w", err)
	}
	b, err := ReadBackground(zr)
	if err != nil {
		return nil, fmt.Errorf("dedupe: built-in background table: %w", err)
	}
	return b, nil
}

// ReadBackground reads a table: a first line "docs N", then lines
// "token<TAB>df", as WriteBackground writes them.
func ReadBackground(r io.Reader) (*Background, error) {
	sc := bufio.NewScanner(r)
	if !sc.Scan() {
		return nil, fmt.Errorf("empty table")
	}
	head, ok := strings.CutPrefix(sc.Text(), "docs ")
	docs, err := strconv.Atoi(head)
	if !ok || err != nil || docs <= 0 {
		return nil, fmt.Errorf(`line 1: want "docs N", got %q`, sc.Text())
	}
	b := &Background{docs: float64(docs), df: map[string]int32{}}
	for line := 2; sc.Scan(); line++ {
		tok, n, ok := strings.Cut(sc.Text(), "\t")
		df, err := strconv.Atoi(n)
		if !ok || err != nil || df <= 0 || df > docs {
			return nil, fmt.Errorf("line %d: want token<TAB>count up to %d, got %q", line, docs, sc.Text())
		}
		b.df[tok] = int32(df)
	}
	return b, sc.Err()
}

// WriteBackground writes a table of docs documents and the document
// frequency of each token in order: the format ReadBackground reads.
func WriteBackground(w io.Writer, docs int, tokens []string, df map[string]int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "docs %d\n", docs)
	for _, t := range tokens {
		fmt.Fprintf(bw, "%s\t%d\n", t, df[t])
	}
	return bw.Flush()
}

// Share returns the share of the table's documents holding token: 0 for a
// token it does not hold, which is then rare.
func (b *Background) Share(token string) float64 {
	if b == nil {
		return 0
	}
	return float64(b.df[token]) / b.docs
}

// Weight returns a token's rarity in the table alone, an inverse document
// frequency: high for a token few documents hold, highest for one the
// table does not hold.
func (b *Background) Weight(token string) float64 {
	return math.Log(1 + (b.docs+1)/(b.docs*b.Share(token)+1))
}

// Len returns the number of tokens in the table.
func (b *Background) Len() int { return len(b.df) }
