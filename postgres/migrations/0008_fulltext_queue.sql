-- Items waiting for their article, as in the SQLite store's migration
-- 0009: queued in the poll's transaction, so a restart loses none.
CREATE TABLE fulltext_queue (
    item_id BIGINT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    queued  BIGINT NOT NULL
);
