ALTER TABLE articles ADD COLUMN novelty REAL NOT NULL DEFAULT 1;

CREATE TABLE reuse (
  to_id        TEXT NOT NULL,
  from_id      TEXT NOT NULL,
  shared_ratio REAL NOT NULL,
  passages     TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (to_id, from_id)
);
CREATE INDEX reuse_from ON reuse(from_id);

CREATE TABLE duplicates (
  a          TEXT NOT NULL,
  b          TEXT NOT NULL,
  similarity REAL NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE INDEX duplicates_b ON duplicates(b);

CREATE TABLE entities (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  aliases    TEXT NOT NULL DEFAULT '[]',
  first_seen TEXT,
  last_seen  TEXT
);

CREATE TABLE mentions (
  article TEXT NOT NULL,
  entity  TEXT NOT NULL,
  count   INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (article, entity)
);
CREATE INDEX mentions_entity ON mentions(entity);

CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_lang ON articles(lang);

CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid', tokenize='porter unicode61');
INSERT INTO articles_fts(rowid, title, text) SELECT rowid, title, text FROM articles;
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
