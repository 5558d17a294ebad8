// RAII wrappers for libpq handles and the error mapping shared by the PostgreSQL adapter.
//
// Every message names the database as Describe() shows it (the URI without its password),
// so a user with several stores knows which one failed.
//
// Thread-safety: a Connection is used by one thread at a time.
#ifndef TUTTI_STORE_POSTGRES_PG_H_
#define TUTTI_STORE_POSTGRES_PG_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/status.h"

namespace tutti::pg {

struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultHandle = std::unique_ptr<PGresult, ResultClearer>;

struct ConnFinisher {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using ConnHandle = std::unique_ptr<PGconn, ConnFinisher>;

// "postgresql://user:secret@host/db?password=x&sslmode=y" without its passwords:
// "postgresql://user@host/db?sslmode=y".
std::string StripPassword(std::string_view uri);

// `message` with every password `uri` holds replaced by "***": libpq's messages about a
// malformed URI quote it.
std::string Redact(std::string message, std::string_view uri);

// The SQLSTATE of a failed result ("23505"), or "" when there is none.
std::string SqlState(const PGresult* result);

// One connection to a server.
class Connection {
 public:
  // Connects to `uri` (a libpq URI). `where` is how messages name the database.
  // kInvalidArgument for a malformed URI; kIoError when the server cannot be reached or
  // refuses the login.
  static Result<Connection> Open(const std::string& uri, std::string where);

  PGconn* get() const { return conn_.get(); }
  const std::string& where() const { return where_; }

  // Runs `sql` (one or more statements, no parameters, no rows wanted).
  Status Exec(std::string_view sql, std::string_view what);
  // Runs one statement with text parameters; returns its result (tuples or command OK).
  // Parameters must hold no NUL byte (the caller checks: PostgreSQL text cannot hold one).
  Result<ResultHandle> Query(const std::string& sql, const std::vector<std::string>& params,
                             std::string_view what);
  // Whether a transaction block is open (or failed) on this connection.
  bool InTransaction() const;

  // A Status for `result`'s error (or the connection's, when `result` is null), naming
  // `what` was being done: constraint and lock errors get their own codes.
  Status Error(const PGresult* result, std::string_view what) const;

 private:
  Connection(ConnHandle conn, std::string where)
      : conn_(std::move(conn)), where_(std::move(where)) {}

  ConnHandle conn_;
  std::string where_;
};

// Parses a decimal int64 column value; kCorruption naming `what` when it is not one.
Result<int64_t> ParseInt64(const char* text, std::string_view what);

}  // namespace tutti::pg

#endif  // TUTTI_STORE_POSTGRES_PG_H_
