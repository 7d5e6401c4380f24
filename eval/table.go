package eval

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// table is a CSV file with a header whose columns are found by name, in
// any case; rows may be ragged and quotes loose, as hand-made files are.
type table struct {
	*csv.Reader
	col map[string]int
}

// column is where a named column stands; a missing one reads as "".
type column struct {
	i  int
	ok bool
}

func readTable(r io.Reader) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	t := &table{Reader: cr, col: map[string]int{}}
	for i, h := range header {
		t.col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	return t, nil
}

// column returns the first of names the header has.
func (t *table) column(names ...string) column {
	for _, n := range names {
		if i, ok := t.col[n]; ok {
			return column{i, true}
		}
	}
	return column{}
}

// in returns the column's trimmed field in rec.
func (c column) in(rec []string) string {
	if !c.ok || c.i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[c.i])
}
