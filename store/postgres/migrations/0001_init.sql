-- Mirrors store/sqlite/migrations/0001_init.sql. Text keys use the "C"
-- collation so ordering is byte order, as in SQLite, whatever the
-- database's locale. Times are RFC 3339 text (the publisher's UTC offset
-- is kept), compared as text exactly as the SQLite backend does.
CREATE TABLE articles (
  id            TEXT COLLATE "C" PRIMARY KEY,
  seq           BIGINT NOT NULL,
  hash          BIGINT NOT NULL,
  title         TEXT NOT NULL DEFAULT '',
  text          TEXT NOT NULL DEFAULT '',
  published     TEXT COLLATE "C",
  date_inferred BOOLEAN NOT NULL DEFAULT false,
  url           TEXT NOT NULL DEFAULT '',
  source        TEXT COLLATE "C" NOT NULL DEFAULT '',
  lang          TEXT COLLATE "C" NOT NULL DEFAULT '',
  extra         TEXT NOT NULL DEFAULT '{}',
  event_time    TEXT COLLATE "C",
  event         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX articles_event ON articles(event, seq);
CREATE INDEX articles_seq ON articles(seq);
CREATE INDEX articles_event_time ON articles(event_time);

CREATE TABLE events (
  id       TEXT COLLATE "C" PRIMARY KEY,
  story    TEXT COLLATE "C" NOT NULL,
  date     TEXT COLLATE "C" NOT NULL DEFAULT '',
  headline TEXT NOT NULL DEFAULT '',
  summary  TEXT NOT NULL DEFAULT '[]',
  sources  TEXT NOT NULL DEFAULT '[]',
  size     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_story ON events(story, date);
CREATE INDEX events_date ON events(date);

CREATE TABLE meta (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value BYTEA
);
