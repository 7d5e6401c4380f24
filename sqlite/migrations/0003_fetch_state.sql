-- Fetch state for polite polling: the upstream's "come back later"
-- (Retry-After, max-age, backoff), a permanent redirect (the config URL
-- it applies to and where it leads), and a source retired by 410 Gone
-- (the config URL that answered it).
ALTER TABLE sources ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN moved_from TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN moved_to TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN retired TEXT NOT NULL DEFAULT '';
