-- story_topics lists, per topic, the stories one of whose items is filed
-- under it, with the story's published time, so a topic's newest stories
-- are one index range scan however rare the topic. It is derived from
-- item_topics and kept in step by the triggers below, inside the same
-- transaction as every change.
CREATE TABLE story_topics (
    topic     TEXT NOT NULL,
    story     TEXT NOT NULL REFERENCES stories (key),
    published INTEGER NOT NULL,
    PRIMARY KEY (topic, story)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_topics_recent ON story_topics (topic, published DESC, story);
CREATE INDEX story_topics_story ON story_topics (story);

INSERT INTO story_topics (topic, story, published)
SELECT DISTINCT t.topic, i.story, s.published
FROM item_topics t JOIN items i ON i.id = t.item_id JOIN stories s ON s.key = i.story;

CREATE TRIGGER item_topics_insert AFTER INSERT ON item_topics BEGIN
    INSERT OR IGNORE INTO story_topics (topic, story, published)
    SELECT NEW.topic, i.story, s.published FROM items i JOIN stories s ON s.key = i.story
    WHERE i.id = NEW.item_id;
END;

CREATE TRIGGER item_topics_delete AFTER DELETE ON item_topics BEGIN
    DELETE FROM story_topics
    WHERE topic = OLD.topic
      AND story = (SELECT story FROM items WHERE id = OLD.item_id)
      AND NOT EXISTS (
          SELECT 1 FROM item_topics t JOIN items i ON i.id = t.item_id
          WHERE t.topic = OLD.topic AND i.story = (SELECT story FROM items WHERE id = OLD.item_id));
END;

CREATE TRIGGER stories_published AFTER UPDATE OF published ON stories BEGIN
    UPDATE story_topics SET published = NEW.published WHERE story = NEW.key;
END;
