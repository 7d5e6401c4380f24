-- The outbox of alerts: written in the poll's transaction, one row per
-- (topic, story, kind, target), so nothing is announced twice and a crash
-- between commit and delivery loses nothing; delivered rows are kept as
-- the record that the story was announced.
CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    topic      TEXT NOT NULL,
    story      TEXT NOT NULL,
    kind       TEXT NOT NULL,      -- new | update
    target     TEXT NOT NULL,      -- the target's URL
    created    INTEGER NOT NULL,   -- unix ns
    next_at    INTEGER NOT NULL,   -- unix ns; when to try (again)
    attempts   INTEGER NOT NULL DEFAULT 0,
    delivered  INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (topic, story, kind, target)
) STRICT;
CREATE INDEX alerts_due ON alerts (delivered, next_at);
