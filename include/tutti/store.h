// The storage port: where the registry's history lives.
//
// A store holds the audit log, and the log is the registry: entry n carries the record that
// change n added (its JSON, RecordJson), so loading a registry is replaying the log, and "what
// changed since n" is the entries after n. Two adapters implement the port, SQLite (the
// embedded default, a file) and PostgreSQL (a server), and both pass one contract test suite
// (tests/store/contract_test.cpp).
//
// What the port leaves to the adapters is only storage: the hash chain, signatures and
// replay are computed once, here, over what they return.
//
// Writes: one WriteTransaction at a time per store, across threads and processes. It holds
// the store's write lock from BeginWrite on, so what it reads (the head, the entries after
// a snapshot's version) is what it writes over; a writer that finds the lock taken waits up
// to StoreOptions::busy_timeout_ms, then fails with kBusy. The schema backs the rules with
// constraints: a record kind's id is unique, and so is its RecordKey.
//
// Thread-safety: a Store and its transactions are used by one thread at a time; open one
// Store per thread. Ownership: the caller owns what the factories return; destroying a
// WriteTransaction that was not committed rolls it back; a Store must outlive its
// transactions.
#ifndef TUTTI_STORE_H_
#define TUTTI_STORE_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tutti/audit.h"
#include "tutti/record.h"
#include "tutti/rights.h"

namespace tutti {

// What a store keeps of one change besides its audit entry: the record's kind and id and
// its unique key, for the schema's constraints.
struct StoredChange {
  AuditEntry entry;        // seq, at, actor, action, payload (the record's JSON), hashes
  std::string kind;        // RecordType
  std::string record_id;   // RecordId
  std::string record_key;  // RecordKey
};

class WriteTransaction {
 public:
  virtual ~WriteTransaction() = default;  // rolls back unless Commit succeeded

  // The head as of this transaction: the write lock is held, so no other writer moves it.
  virtual Result<AuditHead> Head() = 0;
  // Calls `fn` with each entry after `after`, in order, as this transaction sees them.
  virtual Status ScanLog(int64_t after, const std::function<Status(AuditEntry&&)>& fn) = 0;
  // Appends one change. The caller computed its hash chain (AppendChanges does).
  // kInvalidArgument if a constraint refuses it (an id or key taken): nothing is kept of
  // the transaction then. An adapter may batch Puts: a refusal may then come from a later
  // Put or from Commit, with the same effect.
  virtual Status Put(const StoredChange& change) = 0;
  // Makes every Put durable with `head` as the new head, or nothing.
  virtual Status Commit(const AuditHead& head) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Where the store lives, for messages: a path, or a URI without its password.
  virtual std::string Describe() const = 0;

  // Reads: each call sees one committed state.
  virtual Result<AuditHead> ReadHead() = 0;
  // Calls `fn` with each entry after `after` (0: all), in sequence order, streaming: a
  // million entries are never held at once. Stops at the first error `fn` returns.
  virtual Status ScanLog(int64_t after, const std::function<Status(AuditEntry&&)>& fn) = 0;

  // Starts a write: takes the write lock (waiting as StoreOptions says).
  virtual Result<std::unique_ptr<WriteTransaction>> BeginWrite() = 0;

  // Schema objects (tables, indexes, triggers, views, functions, rules, ...) in the store's
  // namespace that tutti did not create, one description each ("trigger 'x' on audit_log").
  // `audit verify` fails when there is any: a planted trigger could rewrite what is logged.
  virtual Result<std::vector<std::string>> ForeignSchemaObjects() = 0;
};

struct StoreOptions {
  bool create = false;             // create the store if it does not exist (tutti init)
  bool read_only = false;          // open for reading only (a read-only file or folder)
  int64_t busy_timeout_ms = 30000;  // how long a writer waits for the write lock
};

// Opens a store by URL and brings its schema up to date:
//   PATH or sqlite:PATH        a SQLite file
//   postgresql://... or postgres://...   a PostgreSQL database (libpq URI, including
//                              ?host=/path/to/socket/dir for a unix socket)
// Errors: kNotFound when the store does not exist and !create; kInvalidArgument for a file
// that is not a tutti store; kIoError when the server or file cannot be reached.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});

// --- Computed once over any adapter ----------------------------------------------------

// Appends `records` with one audit entry each (by `actor`, at `at`) to `txn`, chaining
// each entry's hash from the transaction's head, and commits. All land or none does.
// The caller validated them against the registry as of txn.Head().
using ProgressFn = std::function<void(size_t done, size_t total)>;
Status AppendChanges(WriteTransaction& txn, std::span<const Record> records, std::string_view actor,
                     Timestamp at, const ProgressFn& progress = {});

// Applies the stored changes after `registry.version()` to it, in order, and sets its version
// to the last one applied: the change feed. Loading afresh is ApplyChanges to an empty
// registry. kCorruption names the entry that does not replay.
Status ApplyChanges(Store& store, Registry& registry, const ProgressFn& progress = {});
Status ApplyChanges(WriteTransaction& txn, Registry& registry);
Result<Registry> LoadRegistry(Store& store, const ProgressFn& progress = {});

// What `tutti audit verify` checks: the hash chain ends at the head, every entry replays
// (its payload is a valid record, accepted by the registry as of the entry before it), and
// the schema holds nothing tutti did not create. Errors (kCorruption) name the first entry
// or object that does not agree.
struct AuditSummary {
  int64_t entries = 0;
  std::string head_hash;
};
Result<AuditSummary> VerifyStore(Store& store, const ProgressFn& progress = {});

}  // namespace tutti

#endif  // TUTTI_STORE_H_
