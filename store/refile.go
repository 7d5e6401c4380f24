package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// rulesKey names, in the meta table, the fingerprint of the topic rules
// the stored filings were made with.
const rulesKey = "topic_rules"

// RulesFingerprint returns the fingerprint of the topic rules the stored
// filings were made with, "" before any.
func (d *DB) RulesFingerprint(ctx context.Context) (string, error) {
	var fp string
	err := d.sql.QueryRowContext(ctx, d.Q(`SELECT value FROM meta WHERE key = $1`), rulesKey).Scan(&fp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", d.Errorf("rules fingerprint: %w", err)
	}
	return fp, nil
}

// Refile replaces the topics of the items named in filings and records
// the rules' fingerprint, in one transaction: the store never holds a
// half-refiled state. An item whose hash no longer matches (edited by a
// poll since it was read, and filed by that poll) or which is gone is
// left as it is.
func (d *DB) Refile(ctx context.Context, fingerprint string, filings []Filing) error {
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		if err := d.WriteFilings(ctx, tx, filings); err != nil {
			return err
		}
		_, err := d.exec(ctx, tx, `INSERT INTO meta (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, rulesKey, fingerprint)
		return err
	})
	if err != nil {
		return d.Errorf("refile: %w", err)
	}
	return nil
}

// WriteFilings files stored items again in tx: each filing's topics
// replace the item's, unless the item changed since (its hash differs)
// or is gone. The stories' topics (story_topics) follow.
func (d *DB) WriteFilings(ctx context.Context, tx *sql.Tx, filings []Filing) error {
	if len(filings) == 0 {
		return nil
	}
	clear, err := tx.PrepareContext(ctx, d.Q(`DELETE FROM item_topics
		WHERE item_id = $1 AND EXISTS (SELECT 1 FROM items WHERE id = $1 AND hash = $2)`))
	if err != nil {
		return err
	}
	defer clear.Close()
	add, err := tx.PrepareContext(ctx, d.Q(`INSERT INTO item_topics (topic, item_id)
		SELECT $1, id FROM items WHERE id = $2 AND hash = $3 ON CONFLICT DO NOTHING`))
	if err != nil {
		return err
	}
	defer add.Close()
	for _, f := range filings {
		if _, err := clear.ExecContext(ctx, f.ID, f.Hash); err != nil {
			return fmt.Errorf("item %d: %w", f.ID, err)
		}
		for _, t := range f.Topics {
			if _, err := add.ExecContext(ctx, t, f.ID, f.Hash); err != nil {
				return fmt.Errorf("item %d: %w", f.ID, err)
			}
		}
	}
	return nil
}

// FinishPoll writes, in a poll's transaction tx and after its items,
// what both engines write alike: the moves its settling made and the
// filings they changed (even when the poll brought no item), then, for
// its items, the full-text queue and the alerts.
func (d *DB) FinishPoll(ctx context.Context, tx *sql.Tx, p *Poll) error {
	if err := d.ApplyMoves(ctx, tx, p.Moves, Nanos(p.State.LastPoll)); err != nil {
		return fmt.Errorf("moves: %w", err)
	}
	if err := d.WriteFilings(ctx, tx, p.Refiled); err != nil {
		return fmt.Errorf("filings: %w", err)
	}
	if len(p.New)+len(p.Updated) == 0 {
		return nil
	}
	if err := d.QueueFullText(ctx, tx, p); err != nil {
		return err
	}
	if err := d.QueueAlerts(ctx, tx, p); err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	return nil
}
