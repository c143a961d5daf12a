-- Mirrors store/sqlite/migrations/0002: reuse, near-duplicates, entities,
-- mentions, and full-text search. SQLite's FTS5 table becomes a stored
-- generated tsvector column (title weighted A, text B) with a GIN index.
ALTER TABLE articles ADD COLUMN novelty DOUBLE PRECISION NOT NULL DEFAULT 1;

CREATE TABLE reuse (
  to_id        TEXT COLLATE "C" NOT NULL,
  from_id      TEXT COLLATE "C" NOT NULL,
  shared_ratio DOUBLE PRECISION NOT NULL,
  passages     TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (to_id, from_id)
);
CREATE INDEX reuse_from ON reuse(from_id);

CREATE TABLE duplicates (
  a          TEXT COLLATE "C" NOT NULL,
  b          TEXT COLLATE "C" NOT NULL,
  similarity DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE INDEX duplicates_b ON duplicates(b);

CREATE TABLE entities (
  id         TEXT COLLATE "C" PRIMARY KEY,
  name       TEXT COLLATE "C" NOT NULL,
  type       TEXT COLLATE "C" NOT NULL,
  aliases    TEXT NOT NULL DEFAULT '[]',
  first_seen TEXT COLLATE "C",
  last_seen  TEXT COLLATE "C"
);

CREATE TABLE mentions (
  article TEXT COLLATE "C" NOT NULL,
  entity  TEXT COLLATE "C" NOT NULL,
  count   INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (article, entity)
);
CREATE INDEX mentions_entity ON mentions(entity);

CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_lang ON articles(lang);

ALTER TABLE articles ADD COLUMN fts tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, title), 'A') ||
  setweight(to_tsvector('english'::regconfig, text), 'B')) STORED;
CREATE INDEX articles_fts ON articles USING GIN (fts);
