// tutti's schema in a PostgreSQL database: numbered migrations, and what they create.
//
// Everything tutti keeps lives in one schema, `tutti`, so that anything else found there
// (a planted trigger that rewrites what is logged, a rule, a policy hiding rows) can be
// listed and refused by `audit verify`:
//
//   tutti.schema_version (version)       one row: the last migration applied
//   tutti.audit_log (seq, at, actor, action, kind, record_id, record_key, payload,
//                    prev_hash, hash)   the log, which is the registry; unique (kind,
//                                       record_id) and (kind, record_key); append-only
//   tutti.head (one, seq, hash)          one row: the last entry's seq and hash; moves forward
#ifndef TUTTI_STORE_POSTGRES_POSTGRES_SCHEMA_H_
#define TUTTI_STORE_POSTGRES_POSTGRES_SCHEMA_H_

#include <string>
#include <vector>

#include "pg.h"
#include "tutti/status.h"

namespace tutti::pg {

inline constexpr const char* kSchema = "tutti";

// The schema version this tutti writes: the number of migrations.
int LatestSchemaVersion();

// kUnsupported: the store's schema `version` is newer than this tutti knows.
Status NewerSchema(const Connection& conn, int version);

// The store's schema version; 0 when the database has no tutti schema. kInvalidArgument when
// a schema named `tutti` exists but is not tutti's.
Result<int> ReadSchemaVersion(Connection& conn);

// Creates the schema (when `create`) and applies the migrations it lacks, in one transaction
// under an advisory lock, so that two processes opening the store at once both succeed.
// Waits for that lock at most `lock_timeout_ms`.
Status MigrateSchema(Connection& conn, bool create, int64_t lock_timeout_ms);

// Objects in the schema (or on its tables) that the migrations did not create, and objects
// they created that are missing or were altered, one description each.
Result<std::vector<std::string>> ListForeignObjects(Connection& conn);

}  // namespace tutti::pg

#endif  // TUTTI_STORE_POSTGRES_POSTGRES_SCHEMA_H_
