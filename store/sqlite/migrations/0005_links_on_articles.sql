-- Fewer rows and b-tree inserts per ingested article.
--
-- An article's reuse records and its mentions' counts move into two JSON
-- columns of its own row, which Commit writes anyway: "reuse" holds the
-- array of what it copied ({"from", "shared_ratio", "passages"}, sorted by
-- origin) and "entities" the object of the entities it names with their
-- counts; both are NULL when there are none. The reuse table (one row per
-- origin, ~6 per article) goes. "entities" is also where Commit finds the
-- mentions to delete when an article is written again.
--
-- The mentions table keeps one b-tree keyed by (entity, article), the only
-- direction queries use (an entity's articles, an article naming an
-- entity), instead of a primary key by article plus an index by entity.
--
-- Mentions and reuse records of articles that are not stored are dropped:
-- no listing showed them (they all join articles), and a mention has to be
-- in its article's "entities" to be deleted when the article changes.
ALTER TABLE articles ADD COLUMN entities TEXT;
ALTER TABLE articles ADD COLUMN reuse TEXT;

UPDATE articles SET
  entities = (SELECT nullif(json_group_object(m.entity, m.count), '{}') FROM mentions m WHERE m.article = articles.id),
  reuse = (SELECT nullif(json_group_array(json_object('from', r.from_id, 'shared_ratio', r.shared_ratio, 'passages', json(r.passages))), '[]')
           FROM (SELECT from_id, shared_ratio, passages FROM reuse WHERE to_id = articles.id ORDER BY from_id) r)
WHERE id IN (SELECT article FROM mentions UNION SELECT to_id FROM reuse);

CREATE TABLE mentions_v5 (
  entity  TEXT NOT NULL,
  article TEXT NOT NULL,
  PRIMARY KEY (entity, article)
) WITHOUT ROWID;
INSERT INTO mentions_v5(entity, article)
SELECT m.entity, m.article FROM mentions m WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = m.article) ORDER BY m.entity, m.article;
DROP TABLE mentions;
ALTER TABLE mentions_v5 RENAME TO mentions;

DROP TABLE reuse;
