// The SQLite store's schema, as numbered migrations. Migration n brings a store from
// PRAGMA user_version n-1 to n. Never edit a released migration: add the next one.
#ifndef TUTTI_STORE_SCHEMA_H_
#define TUTTI_STORE_SCHEMA_H_

#include <array>
#include <string_view>

namespace tutti::sqlite {

inline constexpr std::array<std::string_view, 1> kMigrations = {
    // 1: the rights registry and its audit log.
    R"sql(
CREATE TABLE parties (
  id   TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('artist','songwriter','label','publisher',
                                     'distributor','society','product')),
  name TEXT NOT NULL,
  ipi  TEXT
);
CREATE TABLE works (
  id    TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  iswc  TEXT
);
CREATE TABLE work_shares (
  work        TEXT NOT NULL REFERENCES works(id),
  position    INTEGER NOT NULL,
  party       TEXT NOT NULL REFERENCES parties(id),
  ppm         INTEGER NOT NULL CHECK (ppm > 0 AND ppm <= 1000000),
  territories TEXT NOT NULL,
  PRIMARY KEY (work, position)
);
CREATE TABLE recordings (
  id    TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  isrc  TEXT,
  work  TEXT NOT NULL REFERENCES works(id),
  audio TEXT,
  midi  TEXT
);
CREATE INDEX recordings_work ON recordings(work);
CREATE TABLE recording_artists (
  recording TEXT NOT NULL REFERENCES recordings(id),
  position  INTEGER NOT NULL,
  party     TEXT NOT NULL REFERENCES parties(id),
  PRIMARY KEY (recording, position)
);
CREATE TABLE recording_shares (
  recording   TEXT NOT NULL REFERENCES recordings(id),
  position    INTEGER NOT NULL,
  party       TEXT NOT NULL REFERENCES parties(id),
  ppm         INTEGER NOT NULL CHECK (ppm > 0 AND ppm <= 1000000),
  territories TEXT NOT NULL,
  PRIMARY KEY (recording, position)
);
CREATE TABLE licenses (
  id            TEXT PRIMARY KEY,
  licensor      TEXT NOT NULL REFERENCES parties(id),
  licensee      TEXT NOT NULL REFERENCES parties(id),
  uses          TEXT NOT NULL,
  territories   TEXT NOT NULL,
  valid_from    INTEGER NOT NULL,
  valid_until   INTEGER,
  catalog       INTEGER NOT NULL CHECK (catalog IN (0, 1)),
  revenue_share INTEGER NOT NULL CHECK (revenue_share BETWEEN 0 AND 1000000)
);
CREATE TABLE license_recordings (
  license   TEXT NOT NULL REFERENCES licenses(id),
  recording TEXT NOT NULL REFERENCES recordings(id),
  PRIMARY KEY (license, recording)
);
CREATE TABLE license_works (
  license TEXT NOT NULL REFERENCES licenses(id),
  work    TEXT NOT NULL REFERENCES works(id),
  PRIMARY KEY (license, work)
);
CREATE TABLE consents (
  seq     INTEGER PRIMARY KEY,
  party   TEXT NOT NULL REFERENCES parties(id),
  scope   TEXT NOT NULL CHECK (scope IN ('recording', 'work', 'all')),
  target  TEXT,
  use     TEXT NOT NULL,
  allow   INTEGER NOT NULL CHECK (allow IN (0, 1)),
  at      INTEGER NOT NULL
);
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
-- Append-only: the hash chain detects edits made around these triggers.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql",
};

}  // namespace tutti::sqlite

#endif  // TUTTI_STORE_SCHEMA_H_
