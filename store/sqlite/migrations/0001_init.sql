CREATE TABLE articles (
  id            TEXT PRIMARY KEY,
  seq           INTEGER NOT NULL,
  hash          INTEGER NOT NULL,
  title         TEXT NOT NULL DEFAULT '',
  text          TEXT NOT NULL DEFAULT '',
  published     TEXT,
  date_inferred INTEGER NOT NULL DEFAULT 0,
  url           TEXT NOT NULL DEFAULT '',
  source        TEXT NOT NULL DEFAULT '',
  lang          TEXT NOT NULL DEFAULT '',
  extra         TEXT NOT NULL DEFAULT '{}',
  event_time    TEXT,
  event         TEXT NOT NULL
);
CREATE INDEX articles_event ON articles(event, seq);
CREATE INDEX articles_seq ON articles(seq);
CREATE INDEX articles_event_time ON articles(event_time);

CREATE TABLE events (
  id       TEXT PRIMARY KEY,
  story    TEXT NOT NULL,
  date     TEXT NOT NULL DEFAULT '',
  headline TEXT NOT NULL DEFAULT '',
  summary  TEXT NOT NULL DEFAULT '[]',
  sources  TEXT NOT NULL DEFAULT '[]',
  size     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_story ON events(story, date);
CREATE INDEX events_date ON events(date);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value BLOB
);
