-- The dedupe index is rebuilt from the items published or first fetched
-- within its window; this index serves the second half of that query.
CREATE INDEX items_fetched ON items (fetched);
