// The SQLite adapter of the Store port: the embedded default, one file in WAL mode.
//
// The write lock is SQLite's own: BeginWrite is BEGIN IMMEDIATE, which waits up to the
// busy timeout (sqlite3_busy_timeout) for other writers, in this process or another.
// Readers never wait: in WAL mode each read sees the last commit before it began.
#include "sqlite_store.h"

#include <sys/stat.h>

#include <climits>
#include <optional>

#include "migrate.h"
#include "sqlite.h"

namespace tutti {
namespace {

using sqlite::Statement;

constexpr std::string_view kScanSql =
    "SELECT seq, at, actor, action, payload, prev_hash, hash FROM audit_log WHERE seq > ? "
    "ORDER BY seq";

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, sqlite::DbHandle db, StoreOptions options)
      : path_(std::move(path)), db_(std::move(db)), options_(options) {}

  std::string Describe() const override { return path_; }
  Result<AuditHead> ReadHead() override;
  Status ScanLog(int64_t after, const std::function<Status(AuditEntry&&)>& fn) override;
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override;
  Result<std::vector<std::string>> ForeignSchemaObjects() override {
    auto objects = sqlite::ForeignObjects(db_.get());
    if (!objects.ok()) return Context(objects.status());
    return objects;
  }

  // For the transaction, which runs on this store's connection.
  Status Put(const StoredChange& change);
  Status SetHead(const AuditHead& head);
  Status Exec(std::string_view sql) { return Context(sqlite::Exec(db_.get(), sql)); }
  Status Context(const Status& s) const { return s.WithContext("store '" + path_ + "'"); }
  void EndWrite() { writing_ = false; }

 private:
  std::string path_;
  sqlite::DbHandle db_;
  StoreOptions options_;
  // Kept prepared: an import puts 150,000 entries in one transaction. Destroyed before db_.
  std::optional<Statement> insert_;
  std::optional<Statement> set_head_;
  bool writing_ = false;  // a WriteTransaction of this store is open
};

class SqliteWriteTransaction final : public WriteTransaction {
 public:
  explicit SqliteWriteTransaction(SqliteStore& store) : store_(store) {}
  ~SqliteWriteTransaction() override { Rollback(); }

  Result<AuditHead> Head() override {
    TUTTI_RETURN_IF_ERROR(Usable());
    return store_.ReadHead();
  }
  Status ScanLog(int64_t after, const std::function<Status(AuditEntry&&)>& fn) override {
    TUTTI_RETURN_IF_ERROR(Usable());
    return store_.ScanLog(after, fn);
  }
  Status Put(const StoredChange& change) override {
    TUTTI_RETURN_IF_ERROR(Usable());
    Status s = store_.Put(change);
    if (!s.ok()) Rollback();  // a refused change keeps nothing of the transaction
    return s;
  }
  Status Commit(const AuditHead& head) override {
    TUTTI_RETURN_IF_ERROR(Usable());
    Status s = store_.SetHead(head);
    if (s.ok()) s = store_.Exec("COMMIT");
    if (!s.ok()) {
      Rollback();
      return s;
    }
    open_ = false;
    store_.EndWrite();
    return Status::Ok();
  }

 private:
  Status Usable() const {
    if (open_) return Status::Ok();
    return Status::Invalid("store '" + store_.Describe() +
                           "': this write transaction is over (committed or rolled back)");
  }
  void Rollback() {
    if (!open_) return;
    open_ = false;
    store_.EndWrite();
    // Nothing to do if it fails: SQLite rolls back a transaction its connection drops.
    (void)store_.Exec("ROLLBACK");
  }

  SqliteStore& store_;
  bool open_ = true;
};

Result<AuditHead> SqliteStore::ReadHead() {
  auto st = Statement::Prepare(db_.get(), "SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!st.ok()) return Context(st.status());
  auto row = st->Step();
  if (!row.ok()) return Context(row.status());
  if (!*row) return Status::Corruption("store '" + path_ + "': the audit head is missing");
  return AuditHead{st->Int(0), st->Text(1)};
}

Status SqliteStore::ScanLog(int64_t after, const std::function<Status(AuditEntry&&)>& fn) {
  // One statement is one read transaction: the scan sees one committed state throughout.
  auto st = Statement::Prepare(db_.get(), kScanSql);
  if (!st.ok()) return Context(st.status());
  st->Bind(1, after);
  for (;;) {
    auto row = st->Step();
    if (!row.ok()) return Context(row.status());
    if (!*row) return Status::Ok();
    TUTTI_RETURN_IF_ERROR(fn(AuditEntry{st->Int(0), st->Int(1), st->Text(2), st->Text(3),
                                        st->Text(4), st->Text(5), st->Text(6)}));
  }
}

Result<std::unique_ptr<WriteTransaction>> SqliteStore::BeginWrite() {
  if (options_.read_only) {
    return Status::Invalid("store '" + path_ + "' was opened read-only: it cannot be written");
  }
  if (writing_) {
    return Status::Invalid("store '" + path_ +
                           "' already has a write transaction open: one at a time per Store");
  }
  Status s = sqlite::Exec(db_.get(), "BEGIN IMMEDIATE");
  if (s.code() == StatusCode::kBusy) {
    return Status::Busy("store '" + path_ + "' is busy: another writer held its write lock for " +
                        "more than the busy timeout (" + std::to_string(options_.busy_timeout_ms) +
                        " ms); try again, or allow a longer wait");
  }
  TUTTI_RETURN_IF_ERROR(Context(s));
  writing_ = true;
  return std::unique_ptr<WriteTransaction>(std::make_unique<SqliteWriteTransaction>(*this));
}

Status SqliteStore::Put(const StoredChange& change) {
  if (!insert_) {
    auto st = Statement::Prepare(db_.get(),
                                 "INSERT INTO audit_log (seq, at, actor, action, kind, record_id, "
                                 "record_key, payload, prev_hash, hash) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st.ok()) return Context(st.status());
    insert_.emplace(std::move(st).value());
  }
  const AuditEntry& e = change.entry;
  Status s = insert_->Bind(1, e.seq)
                 .Bind(2, e.at)
                 .Bind(3, e.actor)
                 .Bind(4, e.action)
                 .Bind(5, change.kind)
                 .Bind(6, change.record_id)
                 .Bind(7, change.record_key)
                 .Bind(8, e.payload)
                 .Bind(9, e.prev_hash)
                 .Bind(10, e.hash)
                 .Run();
  if (s.code() != StatusCode::kInvalidArgument) return Context(s);
  if (s.message().find("record_key") != std::string::npos) {
    return Status::Invalid(
        "store '" + path_ + "' already holds a " + change.kind + " with the same " +
        (change.kind == "consent" ? "party, scope, target, use and time" : "key") + " (" +
        change.record_key + ")");
  }
  if (s.message().find("record_id") != std::string::npos) {
    return Status::Invalid("store '" + path_ + "' already holds a " + change.kind +
                           " with this id");
  }
  return Status::Invalid("store '" + path_ + "' refused audit entry " + std::to_string(e.seq) +
                         ": " + s.message());
}

Status SqliteStore::SetHead(const AuditHead& head) {
  if (!set_head_) {
    auto st = Statement::Prepare(db_.get(), "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1");
    if (!st.ok()) return Context(st.status());
    set_head_.emplace(std::move(st).value());
  }
  return Context(set_head_->Bind(1, head.seq).Bind(2, head.hash).Run());
}

// A SQLite URI for `path`, so that options can follow it.
std::string FileUri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[static_cast<unsigned char>(c) & 15];
    } else {
      uri += c;
    }
  }
  return uri;
}

Result<sqlite::DbHandle> OpenHandle(const std::string& name, int flags, const StoreOptions& options,
                                    const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  sqlite::DbHandle db(raw);
  if (rc != SQLITE_OK) {
    return Status::IoError("cannot open store '" + path +
                           "': " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  int64_t timeout = std::clamp<int64_t>(options.busy_timeout_ms, 0, INT_MAX);
  sqlite3_busy_timeout(db.get(), static_cast<int>(timeout));
  return db;
}

// The first read shows a file that is not SQLite: say so in the user's terms.
Status FirstRead(sqlite3* db, const std::string& path, bool read_only) {
  Status s = read_only ? Status::Ok()
                       : sqlite::Exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
  if (s.ok()) s = sqlite::Exec(db, "SELECT count(*) FROM sqlite_schema");
  if (s.code() == StatusCode::kCorruption) {
    return Status::Corruption("'" + path + "' is not a tutti store or is corrupt (" + s.message() +
                              ")");
  }
  return s.WithContext("store '" + path + "'");
}

bool FileIsEmptyOrMissing(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) != 0 || st.st_size == 0;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options) {
  if (path.empty()) return Status::Invalid("no store path given");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (!options.create) {
      return Status::NotFound("no tutti store at '" + path +
                              "': run 'tutti init' first, or pass --db");
    }
    if (options.read_only) {
      return Status::Invalid("cannot create store '" + path + "' read-only");
    }
  } else if (S_ISDIR(st.st_mode)) {
    return Status::Invalid("'" + path + "' is a directory, not a tutti store");
  } else if (!S_ISREG(st.st_mode)) {
    return Status::Invalid("'" + path + "' is not a regular file, so not a tutti store");
  } else if (st.st_size == 0 && !options.create) {
    // Only 'tutti init' (and demo) make a store of an empty file.
    return Status::Invalid("'" + path +
                           "' is an empty file, not a tutti store: run 'tutti init' to make one");
  }

  int flags = options.read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  TUTTI_ASSIGN_OR_RETURN(sqlite::DbHandle db, OpenHandle(path, flags, options, path));
  Status s = FirstRead(db.get(), path, options.read_only);
  if (!s.ok() && options.read_only && s.code() != StatusCode::kCorruption &&
      FileIsEmptyOrMissing(path + "-wal")) {
    // A WAL store read in a folder we cannot write: SQLite cannot make the -shm file it
    // shares with writers. With no -wal there is nothing beyond the main file and no
    // writer could be at work, so the file can be read as immutable.
    TUTTI_ASSIGN_OR_RETURN(db, OpenHandle(FileUri(path) + "?immutable=1",
                                          SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, options, path));
    s = FirstRead(db.get(), path, true);
  }
  TUTTI_RETURN_IF_ERROR(s);
  TUTTI_RETURN_IF_ERROR(options.read_only ? sqlite::CheckCurrent(db.get(), path)
                                          : sqlite::Migrate(db.get(), path, options.create));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(path, std::move(db), options));
}

}  // namespace tutti
