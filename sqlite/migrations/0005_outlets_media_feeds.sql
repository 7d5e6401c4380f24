-- What readers see (issue 16): each source's own title and web site, as
-- its documents give them, to credit the outlet on every entry; each
-- item's picture and enclosures; and every published document's ETag and
-- the time its content last changed, so Last-Modified survives restarts.
ALTER TABLE sources ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN site TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN image TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN enclosures TEXT NOT NULL DEFAULT '[]'; -- JSON array
CREATE TABLE feeds (
    name     TEXT PRIMARY KEY, -- e.g. "ukraine.rss"
    etag     TEXT NOT NULL,
    modified INTEGER NOT NULL  -- unix ns
) STRICT;
