// RAII wrappers for SQLite handles, shared by the SQLite adapter's files.
#ifndef TUTTI_STORE_SQLITE_H_
#define TUTTI_STORE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tutti/status.h"

namespace tutti::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

// A prepared statement. Bind* take 1-based indexes; Step returns true while rows remain.
class Statement {
 public:
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql);

  Statement& Bind(int i, std::string_view text);
  Statement& Bind(int i, int64_t value);
  Statement& BindNull(int i);
  // Binds NULL for an empty string.
  Statement& BindOptional(int i, std::string_view text);

  Result<bool> Step();
  Status Run();  // steps to the end, then resets for reuse
  void Reset();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }
  std::string Text(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// An error from `db`'s last call, for a message: "<what>: <sqlite's message>". Its code
// follows SQLite's: a constraint is kInvalidArgument, a lock not had is kBusy, a damaged
// file is kCorruption, anything else kIoError.
Status Error(sqlite3* db, std::string_view what);

// Runs one or more statements with no result rows.
Status Exec(sqlite3* db, std::string_view sql);

}  // namespace tutti::sqlite

#endif  // TUTTI_STORE_SQLITE_H_
