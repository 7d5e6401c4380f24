package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// Move is a stored item the story engine put in another story (From to
// To), or, with Source and GUID empty, a whole story merged into another.
type Move struct {
	Source, GUID string
	From, To     string
}

// ApplyMoves writes a poll's moves in its transaction, after its new
// items: each item moved, each story merged, then every story they
// touched made right — a story left without items deleted, the others
// marked updated at the poll's time (at) with their published time the
// earliest of what they held and now hold, and their topics (story_topics)
// read again from their items. Each move is recorded for the other
// replicas (MovesAfter).
func (d *DB) ApplyMoves(ctx context.Context, tx *sql.Tx, moves []Move, at int64) error {
	if len(moves) == 0 {
		return nil
	}
	var touched []string
	for _, m := range moves {
		// The story an item moves into may be one this poll began with
		// the item itself: it exists from the item's own times.
		if _, err := d.exec(ctx, tx, `INSERT INTO stories (key, published, updated)
			SELECT $1, published, $2 FROM items WHERE story = $3 AND ($4 = '' OR (source = $4 AND guid = $5))
			ORDER BY published LIMIT 1
			ON CONFLICT (key) DO NOTHING`, m.To, at, m.From, m.Source, m.GUID); err != nil {
			return fmt.Errorf("move to story %s: %w", m.To, err)
		}
		if _, err := d.exec(ctx, tx, `UPDATE items SET story = $1 WHERE story = $2 AND ($3 = '' OR (source = $3 AND guid = $4))`,
			m.To, m.From, m.Source, m.GUID); err != nil {
			return fmt.Errorf("move to story %s: %w", m.To, err)
		}
		if _, err := d.exec(ctx, tx, `INSERT INTO story_moves (source, guid, from_story, to_story, at) VALUES ($1, $2, $3, $4, $5)`,
			m.Source, m.GUID, m.From, m.To, at); err != nil {
			return fmt.Errorf("record move to story %s: %w", m.To, err)
		}
		touched = append(touched, m.From, m.To)
	}
	slices.Sort(touched)
	for _, key := range slices.Compact(touched) {
		if err := d.restory(ctx, tx, key, at); err != nil {
			return fmt.Errorf("story %s: %w", key, err)
		}
	}
	return nil
}

// SaveMoves applies moves made outside a poll, and the filings they
// change, in a transaction of their own (Store).
func (d *DB) SaveMoves(ctx context.Context, moves []Move, filings []Filing, at time.Time) error {
	if len(moves) == 0 {
		return nil
	}
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		if err := d.ApplyMoves(ctx, tx, moves, Nanos(at)); err != nil {
			return err
		}
		return d.WriteFilings(ctx, tx, filings)
	})
	if err != nil {
		return d.Errorf("save moves: %w", err)
	}
	return nil
}

// restory makes a story's row and topics follow its items.
func (d *DB) restory(ctx context.Context, tx *sql.Tx, key string, at int64) error {
	if _, err := d.exec(ctx, tx, `DELETE FROM story_topics WHERE story = $1`, key); err != nil {
		return err
	}
	res, err := d.exec(ctx, tx, `DELETE FROM stories WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM items WHERE story = $1)`, key)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, err := d.exec(ctx, tx, `UPDATE stories SET updated = greatest(updated, $2),
			published = (SELECT min(p) FROM (SELECT published AS p FROM stories WHERE key = $1
				UNION ALL SELECT published FROM items WHERE story = $1) x)
		WHERE key = $1`, key, at); err != nil {
		return err
	}
	_, err = d.exec(ctx, tx, `INSERT INTO story_topics (topic, story, published)
		SELECT DISTINCT t.topic, i.story, s.published FROM items i
		JOIN item_topics t ON t.item_id = i.id JOIN stories s ON s.key = i.story
		WHERE i.story = $1
		ON CONFLICT DO NOTHING`, key)
	return err
}

// MovesAfter calls fn, in order, for every move recorded with an id
// after after, and returns the last id (after, when there is none): how
// a replica follows the stories the others moved.
func (d *DB) MovesAfter(ctx context.Context, after int64, fn func(Move)) (int64, error) {
	last := after
	err := d.each(ctx, d.sql, `SELECT id, source, guid, from_story, to_story FROM story_moves WHERE id > $1 ORDER BY id`,
		[]any{after}, func(rows *sql.Rows) error {
			var m Move
			if err := rows.Scan(&last, &m.Source, &m.GUID, &m.From, &m.To); err != nil {
				return err
			}
			fn(m)
			return nil
		})
	if err != nil {
		return after, d.Errorf("moves after %d: %w", after, err)
	}
	return last, nil
}

// LastMoveID returns the newest move's id, 0 for none.
func (d *DB) LastMoveID(ctx context.Context) (int64, error) {
	var id int64
	if err := d.sql.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM story_moves`).Scan(&id); err != nil {
		return 0, d.Errorf("last move: %w", err)
	}
	return id, nil
}
