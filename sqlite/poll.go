package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"tributary/news"
	"tributary/store"
)

// SavePoll writes everything one poll changed in a single transaction: the
// source's fetch state, new items with their stories and topics, and edits
// to known items. A new item already stored (same source and GUID) is left
// as it is, so replaying a poll adds nothing. SQLite's fast path: each
// write is one of a few statements prepared once for the store's life
// (an in-process database has no round trips to save).
func (d *DB) SavePoll(ctx context.Context, p *store.Poll) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return d.errorf("save poll %s: %w", p.Source, err)
	}
	defer tx.Rollback()
	if err := d.SaveState(ctx, tx, p); err != nil {
		return d.errorf("save poll %s: %w", p.Source, err)
	}
	if len(p.New)+len(p.Updated) > 0 {
		w, err := d.prepareWriter(ctx, tx, p.State.LastPoll)
		if err != nil {
			return d.errorf("save poll %s: %w", p.Source, err)
		}
		for i := range p.New {
			if err := w.insert(ctx, &p.New[i]); err != nil {
				return d.errorf("save poll %s: item %q: %w", p.Source, p.New[i].GUID, err)
			}
		}
		for i := range p.Updated {
			if err := w.update(ctx, &p.Updated[i]); err != nil {
				return d.errorf("save poll %s: item %q: %w", p.Source, p.Updated[i].GUID, err)
			}
		}
	}
	if err := d.FinishPoll(ctx, tx, p); err != nil {
		return d.errorf("save poll %s: %w", p.Source, err)
	}
	if err := tx.Commit(); err != nil {
		return d.errorf("save poll %s: %w", p.Source, err)
	}
	return nil
}

// itemWriter runs a poll's writes in its transaction.
type itemWriter struct {
	story, insertItem, updateItem, touchStory, clearTopics, addTopic *sql.Stmt
	// at is when the poll ran: a story a copy joins, or whose member is
	// edited, was updated then, whatever the upstream's own dates say.
	at time.Time
}

// writeSQL are the statements a poll's transaction runs.
var writeSQL = [...]string{
	// A story's published time is its first item's, for good: an entry's
	// published date never moves.
	`INSERT INTO stories (key, published, updated) VALUES (?, ?, ?)
		ON CONFLICT (key) DO NOTHING`,
	`INSERT INTO items (source, guid, story, link, url, title, summary, content,
			author, categories, image, enclosures, published, updated, fetched, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, guid) DO NOTHING`,
	`UPDATE items SET link = ?, url = ?, title = ?, summary = ?, content = ?,
			author = ?, categories = ?, image = ?, enclosures = ?, published = ?, updated = ?, hash = ?
		WHERE id = ?`,
	`UPDATE stories SET updated = max(updated, ?, ?) WHERE key = ?`,
	`DELETE FROM item_topics WHERE item_id = ?`,
	`INSERT OR IGNORE INTO item_topics (topic, item_id) VALUES (?, ?)`,
}

// prepareWrites prepares writeSQL once for the store's life, at Open:
// preparing costs more than running a statement, and database/sql keeps
// each statement prepared on every connection it ran on.
func (d *DB) prepareWrites(ctx context.Context) ([]*sql.Stmt, error) {
	stmts := make([]*sql.Stmt, len(writeSQL))
	for i, q := range writeSQL {
		stmt, err := d.db.PrepareContext(ctx, q)
		if err != nil {
			for _, s := range stmts[:i] {
				s.Close()
			}
			return nil, err
		}
		stmts[i] = stmt
	}
	return stmts, nil
}

// prepareWriter returns the writer of a poll's transaction, at the poll's
// time.
func (d *DB) prepareWriter(ctx context.Context, tx *sql.Tx, at time.Time) (*itemWriter, error) {
	if d.writes == nil {
		return nil, errors.New("opened for reading only")
	}
	in := func(i int) *sql.Stmt { return tx.StmtContext(ctx, d.writes[i]) }
	return &itemWriter{story: in(0), insertItem: in(1), updateItem: in(2), touchStory: in(3),
		clearTopics: in(4), addTopic: in(5), at: at}, nil
}

func (w *itemWriter) insert(ctx context.Context, it *news.Item) error {
	res, err := w.story.ExecContext(ctx, it.Story, store.Nanos(it.Published), store.Nanos(it.Updated))
	if err != nil {
		return err
	}
	started, _ := res.RowsAffected()
	cats, encs, err := store.EncodeLists(it)
	if err != nil {
		return err
	}
	res, err = w.insertItem.ExecContext(ctx, it.Source, it.GUID, it.Story, it.Link, it.URL, it.Title, it.Summary,
		it.Content, it.Author, cats, it.Image, encs, store.Nanos(it.Published), store.Nanos(it.Updated), store.Nanos(it.Fetched), it.Hash)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already stored by an earlier, interrupted run
	}
	if started == 0 { // a copy joined the story: its entry changed now
		if _, err := w.touchStory.ExecContext(ctx, store.Nanos(it.Updated), store.Nanos(w.at), it.Story); err != nil {
			return err
		}
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	it.ID = id
	return w.setTopics(ctx, id, it.Topics)
}

func (w *itemWriter) update(ctx context.Context, it *news.Item) error {
	cats, encs, err := store.EncodeLists(it)
	if err != nil {
		return err
	}
	if _, err := w.updateItem.ExecContext(ctx, it.Link, it.URL, it.Title, it.Summary, it.Content, it.Author,
		cats, it.Image, encs, store.Nanos(it.Published), store.Nanos(it.Updated), it.Hash, it.ID); err != nil {
		return err
	}
	if _, err := w.touchStory.ExecContext(ctx, store.Nanos(it.Updated), store.Nanos(w.at), it.Story); err != nil {
		return err
	}
	if _, err := w.clearTopics.ExecContext(ctx, it.ID); err != nil {
		return err
	}
	return w.setTopics(ctx, it.ID, it.Topics)
}

func (w *itemWriter) setTopics(ctx context.Context, id int64, topics []string) error {
	for _, t := range topics {
		if _, err := w.addTopic.ExecContext(ctx, t, id); err != nil {
			return err
		}
	}
	return nil
}
