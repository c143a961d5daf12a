-- The full-text index is maintained once per batch by Commit (one statement
-- instead of one FTS flush per article); only deletions keep a trigger.
DROP TRIGGER articles_fts_ai;
DROP TRIGGER articles_fts_au;
