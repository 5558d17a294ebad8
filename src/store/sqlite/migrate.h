// The SQLite store's schema, kept up to date and checked: internal to the adapter.
#ifndef TUTTI_STORE_SQLITE_MIGRATE_H_
#define TUTTI_STORE_SQLITE_MIGRATE_H_

#include <sqlite3.h>

#include <string>
#include <vector>

#include "tutti/status.h"

namespace tutti::sqlite {

// Brings the store in `db` (at `path`, for messages) to kSchemaVersion under one write
// transaction, so that two processes opening a new store at once create it once. A store
// with no schema gets one only if `create`; a file with tables of its own is refused.
Status Migrate(sqlite3* db, const std::string& path, bool create);

// Checks, without writing, that `db` holds a tutti store of the current version: for
// read-only opens, which cannot migrate.
Status CheckCurrent(sqlite3* db, const std::string& path);

// The schema objects of `db` that kSchema does not create, or that differ from what it
// creates, or that it creates and are missing: "trigger 'x' on audit_log".
Result<std::vector<std::string>> ForeignObjects(sqlite3* db);

}  // namespace tutti::sqlite

#endif  // TUTTI_STORE_SQLITE_MIGRATE_H_
