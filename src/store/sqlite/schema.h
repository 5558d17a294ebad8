// The SQLite store's schema.
//
// A store's PRAGMA user_version says which schema it has:
//   1  tutti 0.1: one table per record kind beside the audit log (kSchemaV1, kept only so
//      that migration 2 and its tests know what they convert);
//   2  the audit log is the registry: one log table, its head, append-only triggers
//      (kSchema).
// A new store gets kSchema at once; an older one is migrated step by step
// (sqlite_store.cpp). Never edit a released schema: add the next version.
#ifndef TUTTI_STORE_SQLITE_SCHEMA_H_
#define TUTTI_STORE_SQLITE_SCHEMA_H_

#include <string_view>

namespace tutti::sqlite {

inline constexpr int kSchemaVersion = 2;

// Version 2. The columns kind, record_id and record_key repeat what the payload says (its
// RecordType, RecordId and RecordKey) so that the unique constraints can hold the rules
// across writers; the hash chain covers the payload, not them.
inline constexpr std::string_view kSchema = R"sql(
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY CHECK (seq > 0),
  at         INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  kind       TEXT NOT NULL,
  record_id  TEXT NOT NULL,
  record_key TEXT NOT NULL,
  payload    TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL,
  UNIQUE (kind, record_id),
  UNIQUE (kind, record_key)
);
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
-- Append-only: the hash chain and signed checkpoints detect edits made around these.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head is never deleted'); END;
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql";

// Version 1 (tutti 0.1), as it was released.
inline constexpr std::string_view kSchemaV1 = R"sql(
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
)sql";

}  // namespace tutti::sqlite

#endif  // TUTTI_STORE_SQLITE_SCHEMA_H_
