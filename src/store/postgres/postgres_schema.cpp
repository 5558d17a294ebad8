// tutti's schema in PostgreSQL: migrations, and the check for objects tutti did not create.
#include "postgres_schema.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "tutti/audit.h"

namespace tutti::pg {
namespace {

// Any constant: the advisory lock that serializes tutti's migrations in one database.
constexpr const char* kMigrationLockKey = "7412365180219921473";

// Function bodies, kept apart so that ListForeignObjects can tell an altered one.
constexpr std::string_view kRefuseChangeBody = R"(
BEGIN
  RAISE EXCEPTION 'tutti.%: % refused: the audit log is append-only', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
)";
constexpr std::string_view kHeadMovesForwardBody = R"(
BEGIN
  IF NEW.seq < OLD.seq THEN
    RAISE EXCEPTION 'tutti.head: moving the head back from % to % refused', OLD.seq, NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.seq <> (SELECT coalesce(max(seq), 0) FROM tutti.audit_log) THEN
    RAISE EXCEPTION 'tutti.head: % is not the last entry of the audit log', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  -- Entry 0 is the genesis: its hash is kGenesisHash, 64 zeros.
  IF NEW.hash IS DISTINCT FROM coalesce((SELECT hash FROM tutti.audit_log WHERE seq = NEW.seq),
                                        repeat('0', 64)) THEN
    RAISE EXCEPTION 'tutti.head: the hash given for % is not that entry''s', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
)";

std::string Function(std::string_view name, std::string_view body) {
  return "CREATE FUNCTION tutti." + std::string(name) +
         "() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $body$" +
         std::string(body) + "$body$;\n";
}

// Migration n (1-based) takes the schema from version n-1 to n. Append, never edit.
std::vector<std::string> Migrations() {
  std::string genesis(kGenesisHash);
  return {
      // 1: the log, which is the registry, and its head.
      "CREATE TABLE tutti.audit_log (\n"
      "  seq bigint NOT NULL CONSTRAINT audit_log_pkey PRIMARY KEY,\n"
      "  at bigint NOT NULL,\n"
      "  actor text NOT NULL,\n"
      "  action text NOT NULL,\n"
      "  kind text NOT NULL,\n"
      "  record_id text NOT NULL,\n"
      "  record_key text NOT NULL,\n"
      "  payload text NOT NULL,\n"
      "  prev_hash text NOT NULL,\n"
      "  hash text NOT NULL,\n"
      "  CONSTRAINT audit_log_id_unique UNIQUE (kind, record_id),\n"
      "  CONSTRAINT audit_log_key_unique UNIQUE (kind, record_key));\n"
      "CREATE TABLE tutti.head (\n"
      "  one boolean NOT NULL DEFAULT true CONSTRAINT head_pkey PRIMARY KEY\n"
      "    CONSTRAINT head_one_row CHECK (one),\n"
      "  seq bigint NOT NULL,\n"
      "  hash text NOT NULL);\n"
      "INSERT INTO tutti.head (seq, hash) VALUES (0, '" +
          genesis + "');\n" + Function("refuse_change", kRefuseChangeBody) +
          Function("head_moves_forward", kHeadMovesForwardBody) +
          "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE\n"
          "  ON tutti.audit_log FOR EACH STATEMENT EXECUTE FUNCTION tutti.refuse_change();\n"
          "CREATE TRIGGER head_kept BEFORE DELETE OR TRUNCATE\n"
          "  ON tutti.head FOR EACH STATEMENT EXECUTE FUNCTION tutti.refuse_change();\n"
          "CREATE TRIGGER head_moves_forward BEFORE UPDATE\n"
          "  ON tutti.head FOR EACH ROW EXECUTE FUNCTION tutti.head_moves_forward();\n",
  };
}

// What the migrations leave behind, for ListForeignObjects. Kept with the migrations above.
const std::set<std::string>& ExpectedTables() {
  static const std::set<std::string> tables = {"audit_log", "head", "schema_version"};
  return tables;
}
// index name -> its table
const std::map<std::string, std::string>& ExpectedIndexes() {
  static const std::map<std::string, std::string> indexes = {{"audit_log_pkey", "audit_log"},
                                                             {"audit_log_id_unique", "audit_log"},
                                                             {"audit_log_key_unique", "audit_log"},
                                                             {"head_pkey", "head"}};
  return indexes;
}
// constraint name -> "table type" (pg_constraint.contype)
const std::map<std::string, std::string>& ExpectedConstraints() {
  static const std::map<std::string, std::string> constraints = {
      {"audit_log_pkey", "audit_log p"},
      {"audit_log_id_unique", "audit_log u"},
      {"audit_log_key_unique", "audit_log u"},
      {"head_pkey", "head p"},
      {"head_one_row", "head c"}};
  return constraints;
}
const std::map<std::string, std::string_view>& ExpectedFunctions() {
  static const std::map<std::string, std::string_view> functions = {
      {"refuse_change", kRefuseChangeBody}, {"head_moves_forward", kHeadMovesForwardBody}};
  return functions;
}
struct ExpectedTrigger {
  std::string table;
  std::string function;
  int type;  // pg_trigger.tgtype: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32
};
const std::map<std::string, ExpectedTrigger>& ExpectedTriggers() {
  static const std::map<std::string, ExpectedTrigger> triggers = {
      {"audit_log_append_only", {"audit_log", "refuse_change", 2 | 8 | 16 | 32}},
      {"head_kept", {"head", "refuse_change", 2 | 8 | 32}},
      {"head_moves_forward", {"head", "head_moves_forward", 1 | 2 | 16}}};
  return triggers;
}

using Rows = std::vector<std::vector<std::string>>;

Result<Rows> Fetch(Connection& conn, const std::string& sql, std::string_view what) {
  TUTTI_ASSIGN_OR_RETURN(ResultHandle result, conn.Query(sql, {}, what));
  Rows rows;
  int columns = PQnfields(result.get());
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < columns; ++c) row.emplace_back(PQgetvalue(result.get(), r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string On(const std::string& table) { return " on tutti." + table; }

std::string RelationKind(std::string_view relkind) {
  if (relkind == "r") return "table";
  if (relkind == "i" || relkind == "I") return "index";
  if (relkind == "S") return "sequence";
  if (relkind == "v") return "view";
  if (relkind == "m") return "materialized view";
  if (relkind == "c") return "type";
  if (relkind == "f") return "foreign table";
  if (relkind == "p") return "partitioned table";
  return "relation";
}

Status ListRelations(Connection& conn, std::vector<std::string>& out) {
  TUTTI_ASSIGN_OR_RETURN(Rows rows,
                         Fetch(conn,
                               "SELECT c.relname, c.relkind, coalesce(t.relname, ''), "
                               "       c.relrowsecurity OR c.relforcerowsecurity "
                               "FROM pg_catalog.pg_class c "
                               "LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid "
                               "LEFT JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
                               "WHERE c.relnamespace = 'tutti'::regnamespace ORDER BY c.relname",
                               "listing the tables of schema tutti"));
  std::set<std::string> seen;
  for (const auto& row : rows) {
    const std::string& name = row[0];
    const std::string& kind = row[1];
    seen.insert(name);
    if (kind == "r" && ExpectedTables().contains(name)) {
      if (row[3] == "t") out.push_back("row-level security" + On(name));
      continue;
    }
    auto index = ExpectedIndexes().find(name);
    if (kind == "i" && index != ExpectedIndexes().end() && index->second == row[2]) continue;
    if (kind == "i" || kind == "I") {
      out.push_back("index '" + name + "'" + On(row[2]));
    } else {
      out.push_back(RelationKind(kind) + " '" + name + "' in tutti");
    }
  }
  for (const std::string& table : ExpectedTables()) {
    if (!seen.contains(table)) out.push_back("table 'tutti." + table + "' is missing");
  }
  for (const auto& [index, table] : ExpectedIndexes()) {
    if (!seen.contains(index)) out.push_back("index '" + index + "'" + On(table) + " is missing");
  }
  return Status::Ok();
}

Status ListConstraints(Connection& conn, std::vector<std::string>& out) {
  TUTTI_ASSIGN_OR_RETURN(Rows rows, Fetch(conn,
                                          "SELECT k.conname, c.relname, k.contype "
                                          "FROM pg_catalog.pg_constraint k "
                                          "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
                                          "WHERE c.relnamespace = 'tutti'::regnamespace ORDER BY 1",
                                          "listing the constraints of schema tutti"));
  std::set<std::string> seen;
  for (const auto& row : rows) {
    auto expected = ExpectedConstraints().find(row[0]);
    if (expected != ExpectedConstraints().end() && expected->second == row[1] + " " + row[2]) {
      seen.insert(row[0]);
      continue;
    }
    out.push_back("constraint '" + row[0] + "'" + On(row[1]));
  }
  for (const auto& [name, where] : ExpectedConstraints()) {
    if (!seen.contains(name)) {
      out.push_back("constraint '" + name + "'" + On(where.substr(0, where.find(' '))) +
                    " is missing");
    }
  }
  return Status::Ok();
}

Status ListFunctions(Connection& conn, std::vector<std::string>& out) {
  TUTTI_ASSIGN_OR_RETURN(Rows rows, Fetch(conn,
                                          "SELECT p.proname, p.prosrc FROM pg_catalog.pg_proc p "
                                          "WHERE p.pronamespace = 'tutti'::regnamespace "
                                          "ORDER BY 1",
                                          "listing the functions of schema tutti"));
  std::set<std::string> seen;
  for (const auto& row : rows) {
    auto expected = ExpectedFunctions().find(row[0]);
    if (expected == ExpectedFunctions().end() || seen.contains(row[0])) {
      out.push_back("function '" + row[0] + "' in tutti");
      continue;
    }
    seen.insert(row[0]);
    if (row[1] != expected->second) out.push_back("function 'tutti." + row[0] + "' was altered");
  }
  for (const auto& [name, body] : ExpectedFunctions()) {
    if (!seen.contains(name)) out.push_back("function 'tutti." + name + "' is missing");
  }
  return Status::Ok();
}

Status ListTriggers(Connection& conn, std::vector<std::string>& out) {
  TUTTI_ASSIGN_OR_RETURN(
      Rows rows, Fetch(conn,
                       "SELECT t.tgname, c.relname, t.tgenabled, t.tgtype, "
                       "       pn.nspname || '.' || p.proname, "
                       "       t.tgqual IS NOT NULL OR t.tgnargs > 0 OR t.tgattr::text <> '' "
                       "FROM pg_catalog.pg_trigger t "
                       "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                       "JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid "
                       "JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace "
                       "WHERE c.relnamespace = 'tutti'::regnamespace AND NOT t.tgisinternal "
                       "ORDER BY 1, 2",
                       "listing the triggers of schema tutti"));
  std::set<std::string> seen;
  for (const auto& row : rows) {
    const std::string& name = row[0];
    const std::string& table = row[1];
    auto expected = ExpectedTriggers().find(name);
    if (expected == ExpectedTriggers().end() || expected->second.table != table ||
        seen.contains(name)) {
      out.push_back("trigger '" + name + "'" + On(table));
      continue;
    }
    seen.insert(name);
    if (row[2] != "O") {
      out.push_back("trigger '" + name + "'" + On(table) +
                    (row[2] == "D" ? " is disabled" : " fires in another replication mode"));
    } else if (row[3] != std::to_string(expected->second.type) ||
               row[4] != "tutti." + expected->second.function || row[5] != "f") {
      out.push_back("trigger '" + name + "'" + On(table) + " was altered");
    }
  }
  for (const auto& [name, expected] : ExpectedTriggers()) {
    if (!seen.contains(name))
      out.push_back("trigger '" + name + "'" + On(expected.table) + " is missing");
  }
  return Status::Ok();
}

// Kinds of objects tutti never creates: any found is foreign.
Status ListNeverCreated(Connection& conn, std::vector<std::string>& out) {
  TUTTI_ASSIGN_OR_RETURN(
      Rows rows,
      Fetch(conn,
            "SELECT 'rule ''' || r.rulename || ''' on tutti.' || c.relname "
            "FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class "
            "WHERE c.relnamespace = 'tutti'::regnamespace AND r.rulename <> '_RETURN' "
            "UNION ALL SELECT 'policy ''' || p.polname || ''' on tutti.' || c.relname "
            "FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid "
            "WHERE c.relnamespace = 'tutti'::regnamespace "
            "UNION ALL SELECT 'type ''' || t.typname || ''' in tutti' FROM pg_catalog.pg_type t "
            "WHERE t.typnamespace = 'tutti'::regnamespace AND t.typrelid = 0 "
            "  AND t.typcategory <> 'A' "
            "UNION ALL SELECT 'operator ''' || o.oprname || ''' in tutti' "
            "FROM pg_catalog.pg_operator o WHERE o.oprnamespace = 'tutti'::regnamespace "
            "UNION ALL SELECT 'statistics ''' || s.stxname || ''' in tutti' "
            "FROM pg_catalog.pg_statistic_ext s WHERE s.stxnamespace = 'tutti'::regnamespace "
            "UNION ALL SELECT 'collation ''' || l.collname || ''' in tutti' "
            "FROM pg_catalog.pg_collation l WHERE l.collnamespace = 'tutti'::regnamespace "
            "UNION ALL SELECT 'conversion ''' || v.conname || ''' in tutti' "
            "FROM pg_catalog.pg_conversion v WHERE v.connamespace = 'tutti'::regnamespace "
            "ORDER BY 1",
            "listing the rules, policies and types of schema tutti"));
  for (const auto& row : rows) out.push_back(row[0]);
  return Status::Ok();
}

}  // namespace

Status NewerSchema(const Connection& conn, int version) {
  return Status::Unsupported("tutti store in " + conn.where() + " has schema version " +
                             std::to_string(version) + ", newer than this tutti's (" +
                             std::to_string(LatestSchemaVersion()) + "): upgrade tutti");
}

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> ReadSchemaVersion(Connection& conn) {
  TUTTI_ASSIGN_OR_RETURN(
      ResultHandle result,
      conn.Query("SELECT n.oid IS NOT NULL, to_regclass('tutti.schema_version') IS NOT NULL, "
                 "  (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid) "
                 "FROM (SELECT 1) AS one "
                 "LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = 'tutti'",
                 {}, "reading tutti's schema"));
  bool schema = std::string_view(PQgetvalue(result.get(), 0, 0)) == "t";
  bool version_table = std::string_view(PQgetvalue(result.get(), 0, 1)) == "t";
  bool empty = std::string_view(PQgetvalue(result.get(), 0, 2)) == "0";
  if (!schema) return 0;
  if (!version_table) {
    if (empty) return 0;  // made by an administrator for tutti to fill, say
    return Status::Invalid("PostgreSQL " + conn.where() +
                           ": schema 'tutti' holds tables but not tutti.schema_version: it is "
                           "not a tutti store");
  }
  TUTTI_ASSIGN_OR_RETURN(
      ResultHandle version,
      conn.Query("SELECT version FROM tutti.schema_version", {}, "reading tutti's schema version"));
  if (PQntuples(version.get()) != 1) {
    return Status::Corruption("PostgreSQL " + conn.where() + ": tutti.schema_version holds " +
                              std::to_string(PQntuples(version.get())) + " rows, not 1");
  }
  TUTTI_ASSIGN_OR_RETURN(int64_t v,
                         ParseInt64(PQgetvalue(version.get(), 0, 0), "tutti's schema version"));
  return static_cast<int>(v);
}

Status MigrateSchema(Connection& conn, bool create, int64_t lock_timeout_ms) {
  TUTTI_RETURN_IF_ERROR(conn.Exec("BEGIN ISOLATION LEVEL READ COMMITTED", "migrating"));
  Status s = conn.Exec(
      "SET LOCAL lock_timeout = " + std::to_string(std::max<int64_t>(lock_timeout_ms, 1)) +
          "; SELECT pg_catalog.pg_advisory_xact_lock(" + kMigrationLockKey + ")",
      "waiting for another process migrating the store");
  // Read again under the lock: another process may have migrated meanwhile.
  Result<int> version = s.ok() ? ReadSchemaVersion(conn) : Result<int>(s);
  if (version.ok() && *version == 0 && !create) {
    s = Status::NotFound("no tutti store in " + conn.where() + ": run 'tutti init' first");
  } else if (version.ok() && *version == 0) {
    s = conn.Exec(
        "CREATE SCHEMA IF NOT EXISTS tutti; "
        "CREATE TABLE tutti.schema_version (version integer NOT NULL); "
        "INSERT INTO tutti.schema_version VALUES (0)",
        "creating schema tutti");
  } else if (!version.ok()) {
    s = version.status();
  } else if (*version > LatestSchemaVersion()) {
    s = NewerSchema(conn, *version);
  }
  std::vector<std::string> migrations = Migrations();
  for (int v = version.ok() ? *version : 0; s.ok() && v < static_cast<int>(migrations.size());
       ++v) {
    s = conn.Exec(
        migrations[v] + "UPDATE tutti.schema_version SET version = " + std::to_string(v + 1),
        "migrating the store to schema version " + std::to_string(v + 1));
  }
  if (s.ok()) s = conn.Exec("COMMIT", "committing the migration");
  if (!s.ok()) (void)conn.Exec("ROLLBACK", "rolling back the migration");
  return s;
}

Result<std::vector<std::string>> ListForeignObjects(Connection& conn) {
  std::vector<std::string> out;
  TUTTI_RETURN_IF_ERROR(ListRelations(conn, out));
  TUTTI_RETURN_IF_ERROR(ListConstraints(conn, out));
  TUTTI_RETURN_IF_ERROR(ListFunctions(conn, out));
  TUTTI_RETURN_IF_ERROR(ListTriggers(conn, out));
  TUTTI_RETURN_IF_ERROR(ListNeverCreated(conn, out));
  return out;
}

}  // namespace tutti::pg
