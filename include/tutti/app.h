// The application layer: every operation tutti offers, once, for every face (the `tutti`
// command, the HTTP server) to call. A face only translates: arguments or requests in,
// text, JSON or status codes out. Policy lives here: which records a change makes, that a
// product named in a request is a product, what `fp add --registry` may reference.
//
// An App holds one Store and a registry snapshot that it keeps current through the store's
// change feed: a long-lived process pays for one load, then for each change once. Every
// change runs in one write transaction: the snapshot is brought up to date under the
// store's write lock, the new records are validated against it, and they land with their
// audit entries, all or none. So two writers can never both pass validation against a
// state that the other changes.
//
// Time comes from an injected clock, so that tests, replays and demos decide at a fixed
// time.
//
// Thread-safety: an App is used by one thread at a time (it owns one store connection).
// Ownership: Open returns the App; the registry pointers it hands out are valid until its
// next call.
#ifndef TUTTI_APP_H_
#define TUTTI_APP_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tutti/checkpoint.h"
#include "tutti/gate.h"
#include "tutti/record.h"
#include "tutti/signing.h"
#include "tutti/store.h"

namespace tutti {

using Clock = std::function<Timestamp()>;

struct AppOptions {
  StoreOptions store;
  Clock clock;  // default: the system clock
};

class App {
 public:
  // Opens the store at `url` (see OpenStore). The registry is loaded on first use.
  static Result<std::unique_ptr<App>> Open(const std::string& url, AppOptions options = {});
  // Over a store already open; `clock` empty means the system clock.
  explicit App(std::unique_ptr<Store> store, Clock clock = {});

  Store& store() { return *store_; }
  Timestamp Now() const { return clock_(); }

  // The registry as of the latest committed change.
  Result<const Registry*> Current(const ProgressFn& progress = {});

  // --- Changes ---------------------------------------------------------------------
  // Validates `records` in order against the registry as of the store's head (each sees
  // the ones before it), assigns ids to those without one, and appends them with one audit
  // entry each by `actor`, in one transaction. Returns the records as stored. On any error
  // nothing is stored, and the error names the record (its position, for a batch).
  // `origins`, if given, names each record where it came from ("catalog.csv, row 13"), for
  // the error.
  Result<std::vector<Record>> Commit(std::vector<Record> records, const std::string& actor,
                                     const ProgressFn& progress = {},
                                     std::span<const std::string> origins = {});
  // Reads a catalog file (JSON or CSV, docs/IMPORT.md) and commits it whole.
  Result<std::vector<Record>> Import(const std::string& path, const std::string& actor,
                                     const ProgressFn& progress = {});

  // --- Decisions -------------------------------------------------------------------
  // The gate's decision, at the registry's current version. An unknown recording, or a
  // product that is unknown or not a product, is an error (kNotFound, kInvalidArgument),
  // not a deny: the request itself is wrong.
  Result<Decision> Check(const DecisionRequest& request);
  // Every recording the product may make `use` of in `territory` at `at`.
  struct ClearedSet {
    std::vector<std::string> recordings;
    size_t of = 0;  // recordings in the registry
    int64_t registry_version = 0;
  };
  Result<ClearedSet> Cleared(Use use, const std::string& product, Territory territory,
                             Timestamp at);
  // The product a request names, checked; or, if `product` is empty, the registry's only
  // product (an error if there are none or several).
  Result<std::string> ResolveProduct(const std::string& product);

  // --- The audit log ---------------------------------------------------------------
  Result<AuditSummary> Verify(const ProgressFn& progress = {});
  // Verify, and that the store's history extends `checkpoint`, signed by `trusted`.
  Result<AuditSummary> Verify(const Checkpoint& checkpoint, const PublicKey& trusted,
                              const ProgressFn& progress = {});
  Result<Checkpoint> MakeCheckpoint(const SigningKey& key);
  // The newest `limit` entries (0: all), oldest first.
  Result<std::vector<AuditEntry>> AuditLog(int64_t limit);

 private:
  std::unique_ptr<Store> store_;
  Clock clock_;
  // Empty until first use, and after a failed change (whose records may have reached it
  // before the store refused them): the next use loads afresh.
  std::optional<Registry> registry_;
};

// A checkpoint kept in a file, as CheckpointJson writes it. Reading is strict and bounded
// (a checkpoint is small); writing replaces the file atomically.
Result<Checkpoint> ReadCheckpointFile(const std::string& path);
Status WriteCheckpointFile(const std::string& path, const Checkpoint& checkpoint);

// The signing key's default place for a store: beside a SQLite file ("<path>.key"); none
// for a server store (pass --key or $TUTTI_KEY).
std::string DefaultKeyPath(const std::string& store_url);

}  // namespace tutti

#endif  // TUTTI_APP_H_
