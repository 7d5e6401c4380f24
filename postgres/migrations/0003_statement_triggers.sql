-- story_topics kept in step once per statement, over the rows the
-- statement changed (transition tables), instead of once per row: a poll
-- files all its new items in one statement, and pays for one trigger.
DROP TRIGGER item_topics_insert ON item_topics;
DROP TRIGGER item_topics_delete ON item_topics;
DROP FUNCTION item_topics_insert();
DROP FUNCTION item_topics_delete();

CREATE FUNCTION item_topics_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_topics (topic, story, published)
    SELECT DISTINCT n.topic, i.story, s.published
    FROM new_rows n JOIN items i ON i.id = n.item_id JOIN stories s ON s.key = i.story
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER item_topics_inserted AFTER INSERT ON item_topics
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION item_topics_inserted();

-- A filing removed drops its story from the topic unless another member
-- of the story is still filed there; an item deleted with its filings is
-- tidied by Prune.
CREATE FUNCTION item_topics_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM story_topics st
    USING (SELECT DISTINCT o.topic, i.story FROM old_rows o JOIN items i ON i.id = o.item_id) gone
    WHERE st.topic = gone.topic AND st.story = gone.story
      AND NOT EXISTS (SELECT 1 FROM items i2 JOIN item_topics t ON t.item_id = i2.id
                      WHERE i2.story = gone.story AND t.topic = gone.topic);
    RETURN NULL;
END $$;
CREATE TRIGGER item_topics_deleted AFTER DELETE ON item_topics
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION item_topics_deleted();
