-- The items of full-text sources whose article is still to be fetched,
-- queued in the poll's transaction: a restart, or a crash, loses none of
-- them. A row goes once the extractor tried (or the item went).
CREATE TABLE fulltext_queue (
    item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    queued  INTEGER NOT NULL -- unix ns
) STRICT;
