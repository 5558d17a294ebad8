// Schema versions and the check for objects tutti did not create (schema.h, migrate.h).
#include "migrate.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "schema.h"
#include "sqlite.h"
#include "tutti/audit.h"
#include "tutti/record_json.h"

namespace tutti::sqlite {
namespace {

Result<int64_t> Count(sqlite3* db, std::string_view sql) {
  TUTTI_ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db, sql));
  TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<int64_t> UserVersion(sqlite3* db) { return Count(db, "PRAGMA user_version"); }

Status CheckTables(sqlite3* db, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(int64_t tables,
                         Count(db,
                               "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                               "AND name IN ('audit_log', 'audit_head')"));
  if (tables != 2) {
    return Status::Invalid("'" + path + "' is not a tutti store: it has no audit log");
  }
  return Status::Ok();
}

// One v1 log entry as a v2 row: its record's kind, id and key come from its payload.
Status CopyV1Entry(Statement& row, Statement& insert) {
  int64_t seq = row.Int(0);
  std::string payload = row.Text(4);
  std::string where = "audit entry " + std::to_string(seq);
  nlohmann::json json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::Corruption(where + ": its payload is not JSON");
  auto record = RecordFromJson(json);
  if (!record.ok()) return Status::Corruption(where + ": " + record.status().message());
  // Version 1 consent statements had no id; replay gives them "C<seq>" (store.cpp).
  if (auto* consent = std::get_if<Consent>(&*record); consent && consent->id.empty()) {
    consent->id = "C" + std::to_string(seq);
  }
  Status s = insert.Bind(1, seq)
                 .Bind(2, row.Int(1))
                 .Bind(3, row.Text(2))
                 .Bind(4, row.Text(3))
                 .Bind(5, RecordType(*record))
                 .Bind(6, RecordId(*record))
                 .Bind(7, RecordKey(*record))
                 .Bind(8, payload)
                 .Bind(9, row.Text(5))
                 .Bind(10, row.Text(6))
                 .Run();
  if (s.code() == StatusCode::kInvalidArgument) {
    return Status::Corruption(where + " repeats a " + std::string(RecordType(*record)) +
                              " stored before it (" + s.message() +
                              "): two writers wrote at once; export the store with the tutti "
                              "that made it, remove the repeated record, and import it anew");
  }
  return s.WithContext(where);
}

// Version 1 -> 2: the per-kind tables go; each log entry keeps its seq, fields and hashes
// (so the chain and any checkpoint still hold) and gains its record's kind, id and key.
Status MigrateV1(sqlite3* db) {
  AuditHead head;
  {
    TUTTI_ASSIGN_OR_RETURN(Statement st,
                           Statement::Prepare(db, "SELECT seq, hash FROM audit_head WHERE id = 1"));
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Corruption("the audit head is missing");
    head = {st.Int(0), st.Text(1)};
  }
  TUTTI_RETURN_IF_ERROR(Exec(db,
                             "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                             "ALTER TABLE audit_log RENAME TO audit_log_v1;"
                             "DROP TABLE audit_head;"
                             "DROP TABLE license_works; DROP TABLE license_recordings;"
                             "DROP TABLE licenses; DROP TABLE consents;"
                             "DROP TABLE recording_shares; DROP TABLE recording_artists;"
                             "DROP TABLE recordings; DROP TABLE work_shares;"
                             "DROP TABLE works; DROP TABLE parties;"));
  TUTTI_RETURN_IF_ERROR(Exec(db, kSchema));
  {
    TUTTI_ASSIGN_OR_RETURN(
        Statement st,
        Statement::Prepare(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"));
    TUTTI_RETURN_IF_ERROR(st.Bind(1, head.seq).Bind(2, head.hash).Run());
    TUTTI_ASSIGN_OR_RETURN(Statement rows,
                           Statement::Prepare(db,
                                              "SELECT seq, at, actor, action, payload, prev_hash, "
                                              "hash FROM audit_log_v1 ORDER BY seq"));
    TUTTI_ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db,
                                                                "INSERT INTO audit_log VALUES "
                                                                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (;;) {
      TUTTI_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) break;
      TUTTI_RETURN_IF_ERROR(CopyV1Entry(rows, insert));
    }
  }
  return Exec(db, "DROP TABLE audit_log_v1");
}

Status Upgrade(sqlite3* db, const std::string& path, bool create) {
  TUTTI_ASSIGN_OR_RETURN(int64_t version, UserVersion(db));
  if (version > kSchemaVersion) {
    return Status::Unsupported("store '" + path + "' has schema version " +
                               std::to_string(version) + ", newer than this tutti's (" +
                               std::to_string(kSchemaVersion) + "): upgrade tutti");
  }
  if (version == 0) {
    TUTTI_ASSIGN_OR_RETURN(int64_t objects, Count(db, "SELECT count(*) FROM sqlite_schema"));
    if (objects > 0) {
      return Status::Invalid("'" + path + "' is a SQLite file but not a tutti store");
    }
    if (!create) {
      return Status::Invalid("'" + path +
                             "' is an empty SQLite file, not a tutti store: run 'tutti init' to "
                             "make one");
    }
    TUTTI_RETURN_IF_ERROR(Exec(db, kSchema));
  } else if (version == 1) {
    TUTTI_RETURN_IF_ERROR(
        MigrateV1(db).WithContext("migrating store '" + path + "' from schema version 1 to 2"));
  }
  if (version == kSchemaVersion) return Status::Ok();
  return Exec(db, "PRAGMA user_version = " + std::to_string(kSchemaVersion));
}

struct SchemaObject {
  std::string type, name, table, sql;
};

std::string Describe(const SchemaObject& o) {
  std::string text = o.type + " '" + o.name + "'";
  if (o.type == "index" || o.type == "trigger") text += " on " + o.table;
  return text;
}

Result<std::vector<SchemaObject>> ReadSchema(sqlite3* db) {
  TUTTI_ASSIGN_OR_RETURN(Statement st,
                         Statement::Prepare(db,
                                            "SELECT type, name, tbl_name, coalesce(sql, '') "
                                            "FROM sqlite_schema ORDER BY name"));
  std::vector<SchemaObject> out;
  for (;;) {
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3)});
  }
}

// What kSchema creates, as SQLite records it: made once in memory, so the comparison does
// not depend on how SQLite normalizes the text of a CREATE statement.
Result<std::vector<SchemaObject>> ReferenceSchema() {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) return Status::IoError("cannot open an in-memory SQLite database");
  TUTTI_RETURN_IF_ERROR(Exec(db.get(), kSchema));
  return ReadSchema(db.get());
}

}  // namespace

Status Migrate(sqlite3* db, const std::string& path, bool create) {
  TUTTI_ASSIGN_OR_RETURN(int64_t version, UserVersion(db));
  if (version != kSchemaVersion) {
    // Under the write lock, read again: another process may have just done it.
    Status s = Exec(db, "BEGIN IMMEDIATE");
    if (s.code() == StatusCode::kBusy) {
      return Status::Busy("store '" + path +
                          "' is busy: another writer kept it locked past the busy timeout");
    }
    TUTTI_RETURN_IF_ERROR(s);
    s = Upgrade(db, path, create);
    if (s.ok()) s = Exec(db, "COMMIT");
    if (!s.ok()) {
      (void)Exec(db, "ROLLBACK");  // the error that matters is the one above
      return s;
    }
  }
  return CheckTables(db, path);
}

Status CheckCurrent(sqlite3* db, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(int64_t version, UserVersion(db));
  if (version == 0) return Status::Invalid("'" + path + "' is not a tutti store");
  if (version < kSchemaVersion) {
    return Status::Unsupported("store '" + path + "' has schema version " +
                               std::to_string(version) + " and needs upgrading to " +
                               std::to_string(kSchemaVersion) +
                               ", which a read-only open cannot do: open it once for writing");
  }
  if (version > kSchemaVersion) {
    return Status::Unsupported("store '" + path + "' has schema version " +
                               std::to_string(version) + ", newer than this tutti's (" +
                               std::to_string(kSchemaVersion) + "): upgrade tutti");
  }
  return CheckTables(db, path);
}

Result<std::vector<std::string>> ForeignObjects(sqlite3* db) {
  static const Result<std::vector<SchemaObject>> reference = ReferenceSchema();
  if (!reference.ok()) return reference.status();
  TUTTI_ASSIGN_OR_RETURN(std::vector<SchemaObject> actual, ReadSchema(db));
  std::vector<std::string> out;
  for (const SchemaObject& o : actual) {
    // ANALYZE's statistics steer the query planner, never what a query returns.
    if (o.type == "table" && o.name.starts_with("sqlite_stat")) continue;
    auto it = std::find_if(reference->begin(), reference->end(),
                           [&](const SchemaObject& r) { return r.name == o.name; });
    if (it == reference->end()) {
      out.push_back(Describe(o));
    } else if (it->type != o.type || it->table != o.table || it->sql != o.sql) {
      out.push_back(Describe(o) + ", altered from tutti's definition");
    }
  }
  for (const SchemaObject& r : *reference) {
    bool present = std::any_of(actual.begin(), actual.end(),
                               [&](const SchemaObject& o) { return o.name == r.name; });
    if (!present) out.push_back(Describe(r) + ", removed");
  }
  return out;
}

}  // namespace tutti::sqlite
