-- An item's canonical URL is looked up only by `tributary explain`, which
-- may scan; every poll paid for keeping this index (SQLite never had it).
DROP INDEX IF EXISTS items_url;
