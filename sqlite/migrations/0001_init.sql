-- Sources as polled, with the fetch state kept between polls. Rows are never
-- deleted when a source leaves the config: its items stay published.
CREATE TABLE sources (
    name          TEXT PRIMARY KEY,
    url           TEXT NOT NULL DEFAULT '',
    priority      INTEGER NOT NULL DEFAULT 0,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_poll     INTEGER NOT NULL DEFAULT 0,
    last_success  INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    failures      INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A story groups the items that report one event. Its key never changes.
CREATE TABLE stories (
    key       TEXT PRIMARY KEY,
    published INTEGER NOT NULL, -- earliest member's published time, unix ns
    updated   INTEGER NOT NULL  -- latest change to any member, unix ns
) STRICT;
CREATE INDEX stories_published ON stories (published DESC);

-- Every item ever fetched; (source, guid) names it.
CREATE TABLE items (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    guid       TEXT NOT NULL,
    story      TEXT NOT NULL REFERENCES stories (key),
    link       TEXT NOT NULL,
    url        TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    content    TEXT NOT NULL,
    author     TEXT NOT NULL,
    categories TEXT NOT NULL, -- JSON array
    published  INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    fetched    INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    UNIQUE (source, guid)
) STRICT;
CREATE INDEX items_story ON items (story);
CREATE INDEX items_published ON items (published);

-- The topics each item matches; a story is in a topic when any member is.
CREATE TABLE item_topics (
    topic   TEXT NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (topic, item_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX item_topics_item ON item_topics (item_id);

-- Small facts about the store itself, e.g. the fingerprint of the topic
-- rules the item_topics rows were computed with.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
