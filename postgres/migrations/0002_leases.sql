-- Replicas share the sources: a poll is claimed with a lease on the
-- source's row (holder, until when), and the replica that polled it last
-- is recorded, so the others know to forget what they remembered of it.
ALTER TABLE sources ADD COLUMN lease_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN lease_expires BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN polled_by TEXT NOT NULL DEFAULT '';
