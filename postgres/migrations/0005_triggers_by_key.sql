-- story_topics' statement triggers look each changed filing's item and
-- story up by its key (a scalar subquery: an index probe per row, which
-- the planner cannot turn into a join). As joins they were planned from
-- statistics that lag behind a growing table — a young table "holds 170
-- rows" — so every poll scanned the whole items table, and its cost grew
-- with the store (0.10 ms an item at 13k items, 0.27 ms at 130k).
CREATE OR REPLACE FUNCTION item_topics_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_topics (topic, story, published)
    SELECT DISTINCT x.topic, x.story, (SELECT s.published FROM stories s WHERE s.key = x.story)
    FROM (SELECT n.topic, (SELECT i.story FROM items i WHERE i.id = n.item_id) AS story FROM new_rows n) x
    WHERE x.story IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION item_topics_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM story_topics st
    USING (SELECT DISTINCT x.topic, x.story
           FROM (SELECT o.topic, (SELECT i.story FROM items i WHERE i.id = o.item_id) AS story FROM old_rows o) x
           WHERE x.story IS NOT NULL) gone
    WHERE st.topic = gone.topic AND st.story = gone.story
      AND NOT EXISTS (SELECT 1 FROM items i2 JOIN item_topics t ON t.item_id = i2.id
                      WHERE i2.story = gone.story AND t.topic = gone.topic);
    RETURN NULL;
END $$;
