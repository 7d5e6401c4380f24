-- The story engine may decide a stored item again, for a few minutes,
-- when a later item shows where it belongs, and merge two stories that a
-- later item shows to be one event. Each change is written here in the
-- poll's transaction, so the other replicas of a shared store follow it
-- (the SQLite store has no other replicas; it keeps the same record).
CREATE TABLE story_moves (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL, -- with guid, the item moved; both '' for a whole story merged
    guid       TEXT NOT NULL,
    from_story TEXT NOT NULL,
    to_story   TEXT NOT NULL,
    at         INTEGER NOT NULL -- unix ns
) STRICT;
CREATE INDEX story_moves_at ON story_moves (at);
