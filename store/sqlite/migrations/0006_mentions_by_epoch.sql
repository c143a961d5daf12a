-- Mention rows are keyed (epoch, entity, article), epoch being the
-- article's rowid >> 13: one epoch per 8,192 articles in ingest order
-- (mentionEpochBits in extras.go holds the same number). A batch's
-- mentions then land in the newest epoch's few hundred b-tree pages instead
-- of next to each entity's earlier mentions all over the table, which made
-- every batch rewrite most of the table's pages. An entity's mentions are
-- found with one b-tree search per epoch, a known article's with one.
CREATE TABLE mentions_v6 (
  epoch   INTEGER NOT NULL,
  entity  TEXT NOT NULL,
  article TEXT NOT NULL,
  PRIMARY KEY (epoch, entity, article)
) WITHOUT ROWID;
INSERT INTO mentions_v6(epoch, entity, article)
SELECT a.rowid >> 13, m.entity, m.article FROM mentions m JOIN articles a ON a.id = m.article ORDER BY 1, 2, 3;
DROP TABLE mentions;
ALTER TABLE mentions_v6 RENAME TO mentions;
