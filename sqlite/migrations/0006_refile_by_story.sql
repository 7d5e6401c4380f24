-- An item's filing removed drops its story from the topic unless another
-- member of the story is still filed there: found through the story's few
-- items (items_story), each probed in item_topics by its key, never by
-- walking every item of the topic (CROSS JOIN fixes the order).
DROP TRIGGER item_topics_delete;
CREATE TRIGGER item_topics_delete AFTER DELETE ON item_topics BEGIN
    DELETE FROM story_topics
    WHERE topic = OLD.topic
      AND story = (SELECT story FROM items WHERE id = OLD.item_id)
      AND NOT EXISTS (
          SELECT 1 FROM items i CROSS JOIN item_topics t
          WHERE i.story = (SELECT story FROM items WHERE id = OLD.item_id)
            AND t.topic = OLD.topic AND t.item_id = i.id);
END;
