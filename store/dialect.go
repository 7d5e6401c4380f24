package store

import (
	"database/sql"
	"strconv"
	"strings"
)

// Dialect is how one engine writes what the shared queries say. Queries
// are written as PostgreSQL reads them — $1, $2 placeholders (a number
// may repeat), greatest(a, b), string_agg(x, $n ORDER BY x) — and a
// dialect rewrites the few words another engine spells differently.
type Dialect struct {
	// Name begins every error: "sqlite", "postgres".
	Name string
	// Question writes placeholders ?1, ?2 (SQLite) instead of $1, $2.
	Question bool
	// Greatest names the function returning the greatest of its
	// arguments: "greatest" (PostgreSQL), "max" (SQLite).
	Greatest string
	// Snapshot begins a read-only transaction that sees one state of the
	// store whatever commits meanwhile.
	Snapshot sql.TxOptions
}

// SQLite is the dialect of SQLite 3.44 and later (string_agg with ORDER
// BY): a WAL reader sees one state for its whole transaction.
func SQLite() Dialect {
	return Dialect{Name: "sqlite", Question: true, Greatest: "max", Snapshot: sql.TxOptions{ReadOnly: true}}
}

// Postgres is PostgreSQL's dialect: a snapshot is a repeatable read.
func Postgres() Dialect {
	return Dialect{Name: "postgres", Greatest: "greatest",
		Snapshot: sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}}
}

// rewrite returns query as the dialect writes it.
func (d Dialect) rewrite(query string) string {
	if d.Greatest != "greatest" {
		query = strings.ReplaceAll(query, "greatest(", d.Greatest+"(")
	}
	if !d.Question {
		return query
	}
	var b strings.Builder
	b.Grow(len(query))
	for i := 0; i < len(query); i++ {
		if query[i] == '$' && i+1 < len(query) && query[i+1] >= '0' && query[i+1] <= '9' {
			b.WriteByte('?')
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// list returns n placeholders numbered from first: "$3,$4,$5".
func list(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(first + i))
	}
	return b.String()
}

// strs returns ss as query arguments.
func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
