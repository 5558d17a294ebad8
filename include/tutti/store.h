// The storage port: where the registry and its audit log live.
//
// One interface, several adapters: SQLite (the embedded default) now, PostgreSQL for
// larger platforms. A Store is the system of record; the gate works on the Registry
// snapshot it loads.
//
// Thread-safety: a Store is used by one thread at a time. Ownership: the caller owns the
// Store returned by a factory; it closes on destruction.
#ifndef TUTTI_STORE_H_
#define TUTTI_STORE_H_

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tutti/audit.h"
#include "tutti/record.h"
#include "tutti/rights.h"

namespace tutti {

class Store {
 public:
  virtual ~Store() = default;

  // The whole registry, as of the last committed change.
  virtual Result<Registry> LoadRegistry() = 0;

  // Called now and then during long work with (records done, records in all).
  using ProgressFn = std::function<void(size_t done, size_t total)>;

  // Stores `records` and appends one audit entry each (by `actor`, at `at`) in one
  // transaction: all of them land, or none does. The caller has validated them against
  // a registry snapshot; the store still enforces referential integrity.
  Status Append(std::span<const Record> records, std::string_view actor, Timestamp at) {
    return Append(records, actor, at, ProgressFn());
  }
  virtual Status Append(std::span<const Record> records, std::string_view actor, Timestamp at,
                        const ProgressFn& progress) = 0;

  virtual Result<std::vector<AuditEntry>> ReadAuditLog() = 0;
  virtual Result<AuditHead> ReadAuditHead() = 0;

  // Where the store lives, for messages ("tutti.db").
  virtual std::string Describe() const = 0;
};

// What `tutti audit verify` checks: the hash chain of the audit log, and that replaying
// the log rebuilds exactly the registry the store holds, so an edit to the data tables
// that bypassed the log shows too. Errors (kCorruption) name the first entry or record
// that does not agree.
struct AuditSummary {
  int64_t entries = 0;
  std::string head_hash;
};
Result<AuditSummary> VerifyStore(Store& store);

struct SqliteOptions {
  bool create = false;  // create the file if it does not exist (tutti init)
};

// Opens the SQLite store at `path` and brings its schema up to date.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace tutti

#endif  // TUTTI_STORE_H_
